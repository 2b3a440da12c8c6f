/**
 * FNV-1a over the UTF-16 code units of a string, 32-bit. Fast and deterministic across runs
 * and machines, which is all the hashing trick needs.
 */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (from murmur3) so similar strings spread over all buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Adds `weight` for feature `key` into `vector` with the signed hashing trick: the sign
 * comes from a hash bit, so collisions cancel out on average instead of piling up.
 */
export function addFeature(vector: Float64Array, key: string, weight: number): void {
  const h = fnv1a(key);
  const index = (h >>> 1) % vector.length;
  vector[index] = (vector[index] ?? 0) + (h & 1 ? weight : -weight);
}

/** Scales a vector to unit length in place (left as zeros when empty) and returns it as numbers. */
export function normalize(vector: Float64Array): number[] {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = norm > 0 ? (vector[i] ?? 0) / norm : 0;
  return out;
}
