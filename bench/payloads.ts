import fs from 'node:fs';
import path from 'node:path';
import { seededPayload } from '../core/rng.js';
import { sizeLabel } from './cases.js';

/** One payload: the bytes in memory (in-process subjects) and in a file (commands, drivers). */
export interface Payload {
  content: Buffer;
  source: string;
}

/** Everything the lines of one size write, and what their targets start from. */
export interface SizePayloads {
  /**
   * Durable and fast writes alternate these two, so every timed write is a real change; unchanged writes the first
   * only.
   */
  written: readonly [Payload, Payload];
  /**
   * What a durable or fast target holds before its first write. No write ever produces it, so a
   * writer that writes nothing cannot leave the target looking right after any number of writes.
   * Never handed to a subject, so it has no source file.
   */
  initial: Buffer;
}

/** Seed variants: 0 and 1 are written, 2 is the initial content. */
const INITIAL_VARIANT = 2;
const VARIANTS = 3;

/** A distinct, reproducible seed per (run seed, size, variant). */
export function payloadSeed(seed: number, size: number, variant: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(size, 0x85ebca6b) ^ Math.imul(variant + 1, 0xc2b2ae35)) >>> 0;
}

/**
 * Seeded payloads, made once per size and shared by every subject (read-only): generating 8 MiB
 * and writing its source file happen before any line, never inside a timed window.
 */
export class PayloadStore {
  private readonly bySize = new Map<number, SizePayloads>();

  constructor(
    private readonly dir: string,
    private readonly seed: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  forSize(size: number): SizePayloads {
    let payloads = this.bySize.get(size);
    if (!payloads) {
      const contents: Buffer[] = [];
      for (let variant = 0; variant < VARIANTS; variant++) {
        // A few bytes of random data can repeat; the content checks need three different contents.
        let content = seededPayload(payloadSeed(this.seed, size, variant), size);
        for (let retry = 1; contents.some((other) => other.equals(content)); retry++) {
          content = seededPayload(payloadSeed(this.seed, size, variant + VARIANTS * retry), size);
        }
        contents.push(content);
      }
      const written = (variant: number): Payload => {
        const content = contents[variant] as Buffer;
        const source = path.join(this.dir, `${sizeLabel(size)}.${variant}.bin`);
        fs.writeFileSync(source, content);
        return { content, source };
      };
      payloads = { written: [written(0), written(1)], initial: contents[INITIAL_VARIANT] as Buffer };
      this.bySize.set(size, payloads);
    }
    return payloads;
  }
}
