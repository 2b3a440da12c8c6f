import { u32At } from "../checked-at.js";
import type { Postings } from "./postings.js";

/**
 * The bytes of lexical.bin and concepts.bin: loading them is much cheaper than re-stemming
 * every passage. Little-endian u32 throughout:
 *
 *   header    magic "PLEX", format 1, documents, terms, postings, term bytes
 *   terms     UTF-8, NUL-separated, zero-padded to a multiple of 4
 *   offsets   terms + 1
 *   docs      postings
 *   tfs       postings
 *   lengths   documents
 */
const MAGIC = 0x5845_4c50; // "PLEX", little-endian
const FORMAT = 1;
const HEADER_BYTES = 24;
const TERM_SEPARATOR = "\0";

/** The bytes of `postings`. Throws when a term holds the separator (NUL). */
export function encodePostings(postings: Postings): Buffer {
  const { terms, offsets, docs, tfs, lengths } = postings;
  for (const t of terms) if (t.includes(TERM_SEPARATOR)) throw new Error("a lexical term contains a NUL character");
  const text = Buffer.from(terms.join(TERM_SEPARATOR), "utf8");
  const header = new Uint32Array([MAGIC, FORMAT, lengths.length, terms.length, docs.length, text.length]);
  const bytesOf = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([
    bytesOf(header),
    text,
    Buffer.alloc(align4(text.length) - text.length),
    ...[offsets, docs, tfs, lengths].map(bytesOf),
  ]);
}

/** Reads bytes written by {@link encodePostings}; throws an Error saying what is wrong with anything malformed. */
export function decodePostings(bytes: Buffer): Postings {
  // Typed-array views need 4-byte alignment; a Buffer from the pool may not have it.
  const buf = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const u32 = (offset: number, length: number) => {
    if (offset + length * 4 > buf.length) throw new Error("the lexical index is truncated");
    return new Uint32Array(buf.buffer, buf.byteOffset + offset, length);
  };
  const header = u32(0, 6);
  if (u32At(header, 0) !== MAGIC || u32At(header, 1) !== FORMAT) throw new Error("not a lexical index of this format");
  const [size, termCount, postings, termBytes] = [
    u32At(header, 2),
    u32At(header, 3),
    u32At(header, 4),
    u32At(header, 5),
  ];
  let offset = HEADER_BYTES;
  if (offset + termBytes > buf.length) throw new Error("the lexical index is truncated");
  const text = buf.toString("utf8", offset, offset + termBytes);
  const terms = termCount === 0 ? [] : text.split(TERM_SEPARATOR);
  offset += align4(termBytes);
  const next = (length: number) => {
    const array = u32(offset, length);
    offset += array.byteLength;
    return array;
  };
  const offsets = next(termCount + 1);
  const docs = next(postings);
  const tfs = next(postings);
  const lengths = next(size);
  if (offset !== buf.length || terms.length !== termCount) throw new Error("the lexical index has the wrong length");
  if (u32At(offsets, 0) !== 0 || u32At(offsets, termCount) !== postings)
    throw new Error("the lexical index's postings are inconsistent");
  let start = 0;
  for (const end of offsets) {
    if (end < start) throw new Error("the lexical index's postings are inconsistent");
    start = end;
  }
  for (const d of docs) if (d >= size) throw new Error("the lexical index points past its documents");
  return { terms, offsets, docs, tfs, lengths };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
