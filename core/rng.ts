/** mulberry32: tiny, fast, seeded; every payload and every random schedule derives from a seed. */
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

/** A uniform integer in [0, bound), bound up to 2^53, from two 32-bit draws. */
export function randomBelow(random: () => number, bound: number): number {
  const wide = Math.floor(random() * 2 ** 21) * 2 ** 32 + Math.floor(random() * 2 ** 32);
  return wide % bound;
}

/** `size` pseudo-random bytes from `seed`; the same seed gives the same bytes on every machine. */
export function seededPayload(seed: number, size: number): Buffer {
  const next = seededRandom(seed);
  const out = Buffer.allocUnsafe(size);
  let i = 0;
  for (; i + 4 <= size; i += 4) out.writeUInt32LE(Math.floor(next() * 4294967296), i);
  for (; i < size; i++) out[i] = Math.floor(next() * 256);
  return out;
}
