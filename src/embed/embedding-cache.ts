import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, truncate, writeFile } from "node:fs/promises";
import { endianness } from "node:os";
import { dirname, join } from "node:path";

/** First bytes of a cache file: the format, so a file of another kind is never read as vectors. */
const MAGIC = Buffer.from("PSGEMB1\n", "ascii");
/** MAGIC, then the dimension as a little-endian u32. */
const HEADER_BYTES = MAGIC.length + 4;
const HASH_BYTES = 32;

/** The key of a text: SHA-256 of its UTF-8 bytes, hex. */
export function textKey(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * A file name for an embedder id: the id's safe characters (readable) and a hash of the whole id
 * (so two ids that differ only in unsafe characters never share a file).
 */
export function cacheFileName(embedderId: string): string {
  const readable = embedderId.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
  return `${readable}-${textKey(embedderId).slice(0, 12)}.bin`;
}

/** The cache file of an embedder in `dir` (normally data/embeddings). */
export function cacheFile(dir: string, embedderId: string): string {
  return join(dir, cacheFileName(embedderId));
}

/**
 * Vectors a remote embedder already paid for, kept on disk between runs: what lets a reindex
 * embed only new text and an interrupted one resume without embedding anything twice.
 *
 * The file is append-only: a header (format, dimension), then records of SHA-256(text) and the
 * vector as float32, appended after every batch in one write. A process killed mid-write leaves
 * at most a torn last record, which opening drops (the file is cut back to its whole records).
 * Vectors are kept as float32 — what the HNSW graph stores anyway — and `get` returns exactly
 * what was stored, so a resumed build gets the same vectors as an uninterrupted one.
 */
export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();
  /** Appends run one after another, each a whole batch. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    readonly dimension: number,
  ) {}

  /**
   * Opens (or creates) the cache file for vectors of `dimension`. A file with another header is
   * replaced (it is only a cache); a torn last record is cut off.
   */
  static async open(file: string, dimension: number): Promise<EmbeddingCache> {
    const cache = new EmbeddingCache(file, dimension);
    await mkdir(dirname(file), { recursive: true });
    const bytes = existsSync(file) ? await readFile(file) : null;
    if (!bytes || !cache.readHeader(bytes)) {
      await writeFile(file, cache.header());
      return cache;
    }
    const record = cache.recordBytes;
    const whole = Math.floor((bytes.length - HEADER_BYTES) / record);
    const end = HEADER_BYTES + whole * record;
    if (end !== bytes.length) await truncate(file, end);
    // One aligned copy that every vector is a view of (Float32Array needs 4-byte alignment).
    const copy = new Uint8Array(end);
    copy.set(bytes.subarray(0, end));
    const little = endianness() === "LE";
    for (let at = HEADER_BYTES; at < end; at += record) {
      const key = Buffer.from(copy.buffer, at, HASH_BYTES).toString("hex");
      const vector = little
        ? new Float32Array(copy.buffer, at + HASH_BYTES, dimension)
        : Float32Array.from({ length: dimension }, (_, i) => bytes.readFloatLE(at + HASH_BYTES + 4 * i));
      cache.vectors.set(key, vector);
    }
    return cache;
  }

  /** Vectors held. */
  get size(): number {
    return this.vectors.size;
  }

  /** The stored vector of a text's key (textKey), or undefined. */
  get(key: string): Float32Array | undefined {
    return this.vectors.get(key);
  }

  /**
   * Stores vectors and appends them to the file in one write; resolves when they are on disk.
   * Keys already held are skipped.
   */
  add(entries: readonly { readonly key: string; readonly vector: Float32Array }[]): Promise<void> {
    const fresh = entries.filter((e) => !this.vectors.has(e.key));
    if (fresh.length === 0) return this.writing;
    const buffer = Buffer.alloc(fresh.length * this.recordBytes);
    fresh.forEach(({ key, vector }, i) => {
      if (vector.length !== this.dimension)
        throw new RangeError(`a vector of ${vector.length} dimensions cannot go into a cache of ${this.dimension}`);
      const at = i * this.recordBytes;
      buffer.write(key, at, HASH_BYTES, "hex");
      for (let j = 0; j < vector.length; j++) buffer.writeFloatLE(vector[j] ?? 0, at + HASH_BYTES + 4 * j);
      this.vectors.set(key, vector);
    });
    const write = this.writing.then(() => appendFile(this.file, buffer));
    // A failed append fails its caller's batch, not every later one.
    this.writing = write.catch(() => {});
    return write;
  }

  private get recordBytes(): number {
    return HASH_BYTES + 4 * this.dimension;
  }

  private header(): Buffer {
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header);
    header.writeUInt32LE(this.dimension, MAGIC.length);
    return header;
  }

  private readHeader(bytes: Buffer): boolean {
    return (
      bytes.length >= HEADER_BYTES &&
      bytes.subarray(0, MAGIC.length).equals(MAGIC) &&
      bytes.readUInt32LE(MAGIC.length) === this.dimension
    );
  }
}
