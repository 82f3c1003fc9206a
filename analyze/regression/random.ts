/** Every resampling draws from a seed, never from Math.random: a verdict is a pure function of the CSV. */
export { seededRandom } from '../../core/rng.js';

/** FNV-1a of a string: a comparison's seed comes from its key, so shard order cannot change a verdict. */
export function hashSeed(text: string, salt = 0): number {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
