import { describe, expect, it } from "vitest";
import { decodePostings, encodePostings } from "../../../src/index/bm25/codec.js";
import { LexicalIndex } from "../../../src/index/bm25/lexical-index.js";

/** `bytes` with the u32 at `offset` replaced by `value`. */
function put(bytes: Buffer, value: number, offset: number): Buffer {
  bytes.writeUInt32LE(value, offset);
  return bytes;
}

// Two documents: "b a a" and "c".
const small = new LexicalIndex([["b", "a", "a"], ["c"]]);

describe("the lexical index codec", () => {
  it("writes the documented layout: header, NUL-separated terms padded to 4, then the arrays", () => {
    const u32 = (...xs: number[]) => Buffer.from(Uint32Array.from(xs).buffer);
    expect(encodePostings(small.postings)).toEqual(
      Buffer.concat([
        Buffer.from("PLEX", "latin1"),
        u32(1, 2, 3, 3, 5), // format, documents, terms, postings, term bytes
        Buffer.from("a\0b\0c\0\0\0", "latin1"),
        u32(0, 1, 2, 3), // offsets
        u32(0, 0, 1), // docs
        u32(2, 1, 1), // tfs
        u32(3, 1), // lengths
      ]),
    );
  });

  it("reads back what it wrote, array for array and byte for byte", () => {
    const bytes = encodePostings(small.postings);
    const back = decodePostings(bytes);
    expect(back).toEqual(small.postings);
    expect(encodePostings(back).equals(bytes)).toBe(true);
  });

  it("reads bytes that do not start on a 4-byte boundary (a slice of a pooled Buffer)", () => {
    const bytes = encodePostings(small.postings);
    const shifted = Buffer.concat([Buffer.alloc(1), bytes]).subarray(1);
    expect(shifted.byteOffset % 4).not.toBe(0);
    expect(decodePostings(shifted)).toEqual(small.postings);
  });

  it("reads and writes an empty index", () => {
    const empty = new LexicalIndex([]).postings;
    expect(decodePostings(encodePostings(empty))).toEqual(empty);
  });

  describe("refuses damaged bytes with a reason", () => {
    const bytes = () => Buffer.from(encodePostings(small.postings));
    const cases: Record<string, [(b: Buffer) => Buffer, RegExp]> = {
      "a short header": [(b) => b.subarray(0, 20), /truncated/],
      "another magic number": [(b) => put(b, 0, 0), /not a lexical index/],
      "another format": [(b) => put(b, 2, 4), /not a lexical index/],
      "a missing last array": [(b) => b.subarray(0, b.length - 4), /truncated/],
      "bytes after the end": [(b) => Buffer.concat([b, Buffer.alloc(4)]), /wrong length/],
      "offsets that run backwards": [(b) => put(b, 3, 32 + 4), /inconsistent/],
      "a document past the last": [(b) => put(b, 9, 48), /points past its documents/],
    };
    for (const [what, [damage, reason]] of Object.entries(cases))
      it(what, () => {
        expect(() => decodePostings(damage(bytes()))).toThrow(reason);
      });
  });

  it("refuses to write a term holding the separator", () => {
    expect(() => encodePostings(new LexicalIndex([["a\0b"]]).postings)).toThrow(/NUL/);
  });
});
