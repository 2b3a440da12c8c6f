import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * The checksum of an index file: BLAKE2b-512, which OpenSSL computes 2.6 times as fast as
 * SHA-256 on this machine (176 ms against 454 ms for a 213 MB graph). It guards against
 * damage, not tampering, and a start-up checks the graph file before hnswlib may read it.
 */
export const FILE_CHECKSUM = "blake2b512";

/** The checksum of a file (FILE_CHECKSUM, hex), streamed so a large vector file is never held in memory twice. */
export async function fileChecksum(path: string): Promise<string> {
  const hash = createHash(FILE_CHECKSUM);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The checksum of an index file already in memory (FILE_CHECKSUM, hex). */
export function bytesChecksum(data: Buffer): string {
  return createHash(FILE_CHECKSUM).update(data).digest("hex");
}

/** SHA-256 of a string or buffer, as hex. */
export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
