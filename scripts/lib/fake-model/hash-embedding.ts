/** Dimension of the fake's vectors unless the server is started with another. */
export const DEFAULT_EMBEDDING_DIMENSION = 64;

/**
 * A deterministic embedding that carries meaning: lowercased word tokens (weight 1) and the
 * character trigrams of each word (weight 0.5) are feature-hashed into `dimension` buckets
 * with a hashed sign, then L2-normalised. Texts sharing words or word stems get close vectors,
 * so retrieval over the fake's vectors behaves like retrieval, not like noise. Empty text (no
 * word characters) gets a fixed unit vector so the result is never NaN.
 */
export function hashEmbedding(text: string, dimension = DEFAULT_EMBEDDING_DIMENSION): number[] {
  const vector = new Array<number>(dimension).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    addFeature(vector, `w:${word}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) addFeature(vector, `t:${padded.slice(i, i + 3)}`, 0.5);
  }
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((x) => x / norm);
}

function addFeature(vector: number[], feature: string, weight: number): void {
  const hash = mix(fnv1a(feature));
  const bucket = (hash >>> 1) % vector.length;
  // A hashed sign keeps unrelated features from piling up in one direction.
  const sign = hash & 1 ? 1 : -1;
  vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
}

// FNV-1a plus murmur3's finaliser: cheap (a reindex hashes millions of features) and well
// spread in the low bits, which the modulo keeps.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function mix(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A vector as the OpenAI API sends it for `encoding_format: "base64"`: little-endian float32 bytes. */
export function embeddingToBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}
