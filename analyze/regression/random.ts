/**
 * mulberry32, the same generator as core/rng.ts. analyze/ may import only the schema, CSV, stats,
 * errors and config modules of core/, so the ten lines live here too; a verdict must be a pure
 * function of the CSV, so every resampling draws from a seed, never from Math.random.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: a comparison's seed comes from its key, so shard order cannot change a verdict. */
export function hashSeed(text: string, salt = 0): number {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
