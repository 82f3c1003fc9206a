import fs from 'node:fs';
import path from 'node:path';
import { seededPayload } from '../core/rng.js';
import { sizeLabel } from './cases.js';

/** One payload: the bytes in memory (in-process subjects) and in a file (commands, drivers). */
export interface Payload {
  content: Buffer;
  source: string;
}

/** Two variants per size are enough for every timed write to be a real change: they alternate. */
export const VARIANTS = 2;

/** A distinct, reproducible seed per (run seed, size, variant). */
export function payloadSeed(seed: number, size: number, variant: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(size, 0x85ebca6b) ^ Math.imul(variant + 1, 0xc2b2ae35)) >>> 0;
}

/**
 * Seeded payloads, made once per size and shared by every subject (read-only): generating 8 MiB
 * and writing its source file happen before any scenario, never inside a timed window.
 */
export class PayloadStore {
  private readonly bySize = new Map<number, Payload[]>();

  constructor(
    private readonly dir: string,
    private readonly seed: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  variants(size: number): readonly Payload[] {
    let variants = this.bySize.get(size);
    if (!variants) {
      variants = [];
      for (let v = 0; v < VARIANTS; v++) {
        const content = seededPayload(payloadSeed(this.seed, size, v), size);
        const source = path.join(this.dir, `${sizeLabel(size)}.${v}.bin`);
        fs.writeFileSync(source, content);
        variants.push({ content, source });
      }
      this.bySize.set(size, variants);
    }
    return variants;
  }
}
