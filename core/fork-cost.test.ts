import { describe, expect, it } from 'vitest';
import { shedGarbageBeforeSpawn } from './fork-cost.js';

// V8 frees a dead buffer's memory on a background sweeper, just after the collection.
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

describe('shedGarbageBeforeSpawn', () => {
  it('returns dead buffers once they have piled up, and leaves a small pile alone', async () => {
    let pile: Buffer[] | undefined = Array.from({ length: 8 }, () => Buffer.alloc(8 * 1024 * 1024, 1));
    expect(pile.length).toBe(8);
    pile = undefined;
    const before = process.memoryUsage().arrayBuffers;
    expect(before).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    shedGarbageBeforeSpawn();
    await settle();
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(before - 48 * 1024 * 1024);

    let small: Buffer | undefined = Buffer.alloc(1024 * 1024, 2);
    expect(small.length).toBe(1024 * 1024);
    small = undefined;
    const withSmall = process.memoryUsage().arrayBuffers;
    shedGarbageBeforeSpawn();
    await settle();
    // Below the growth worth a full collection: nothing is collected.
    expect(process.memoryUsage().arrayBuffers).toBe(withSmall);
  });
});
