import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../core/names.js';
import { seededPayload } from '../core/rng.js';
import type { Content } from './types.js';

/** A content a trial writes or expects, kept in memory and in a source file the subject reads. */
export type { Content } from './types.js';

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Distinct contents from one seeded base per size: the base is generated once (8 MiB of seeded
 * bytes costs tens of ms) and each label rotates it by its own offset and stamps itself at the
 * start. Two contents then differ at almost every byte, so a torn file can never pass for either
 * (an in-place overwrite that stopped after the first chunk would if only the first bytes differed).
 */
export class ContentStore {
  private readonly bases = new Map<number, Buffer>();
  private readonly made = new Map<string, Content>();

  constructor(
    private readonly dir: string,
    private readonly seed: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** The same label and size always give the same content (and the same source file). */
  get(size: number, label: string): Content {
    const key = `${size}:${label}`;
    const existing = this.made.get(key);
    if (existing) return existing;
    const bytes = this.variant(size, label);
    const source = path.join(this.dir, `${size}-${safeFileName(label)}`);
    fs.writeFileSync(source, bytes);
    const content: Content = { label, bytes, sha256: sha256Hex(bytes), source };
    this.made.set(key, content);
    return content;
  }

  /** Forgets a content and deletes its source file (random-kill loops make many). */
  drop(content: Content): void {
    for (const [key, value] of this.made) if (value === content) this.made.delete(key);
    fs.rmSync(content.source, { force: true });
  }

  private variant(size: number, label: string): Buffer {
    const h = hashLabel(label);
    if (size < 64) return seededPayload(this.seed ^ h, size);
    const base = this.base(size);
    const offset = 1 + (h % (size - 1));
    const bytes = Buffer.concat([base.subarray(offset), base.subarray(0, offset)], size);
    Buffer.from(`<${label}>`).copy(bytes, 0, 0, Math.min(size, 48));
    return bytes;
  }

  private base(size: number): Buffer {
    let base = this.bases.get(size);
    if (!base) {
      base = seededPayload(this.seed + size, size);
      this.bases.set(size, base);
    }
    return base;
  }
}

function hashLabel(label: string): number {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return h >>> 0;
}
