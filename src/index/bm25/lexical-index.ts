/**
 * Okapi BM25 over stemmed content words. Built from token lists so the same class scores
 * passages (for retrieval) and sentences (for composing answers).
 *
 * Postings are flat typed arrays (see postings.ts): adding scores into a Float64Array is some
 * 50 times faster than into a Map, with a tenth of the memory. Scores are computed with the
 * same arithmetic, in the same order, as the straightforward version, so rankings are
 * identical to the last bit.
 */
import { u32At } from "../checked-at.js";
import { PostingAccumulator } from "./accumulate.js";
import { decodePostings, encodePostings } from "./codec.js";
import { mergePostings } from "./merge.js";
import type { Postings } from "./postings.js";
import { type LexicalHit, topK } from "./top-k.js";

export type { LexicalHit } from "./top-k.js";

/** BM25 parameters: the standard values, which FACTS.md found best on the seed article too. */
export const BM25_DEFAULTS = { k1: 1.2, b: 0.75 } as const;

export class LexicalIndex {
  /** The arrays the index is made of (the index's own: read, never change them). */
  readonly postings: Postings;
  readonly size: number;
  private readonly termIds = new Map<string, number>();
  private readonly avgLength: number;
  // Scratch for search, allocated on first use and reused (search is synchronous).
  private scores: Float64Array | null = null;
  private stamps: Uint32Array | null = null;
  private touched: Uint32Array | null = null;
  private stamp = 0;

  constructor(documents: readonly (readonly string[])[]);
  /** The index of postings made by accumulate.ts, codec.ts or merge.ts (read, never changed). */
  constructor(postings: Postings);
  constructor(source: readonly (readonly string[])[] | Postings) {
    this.postings = isPostings(source) ? source : fromDocuments(source);
    this.size = this.postings.lengths.length;
    this.postings.terms.forEach((t, i) => {
      this.termIds.set(t, i);
    });
    let total = 0;
    for (const len of this.postings.lengths) total += len;
    this.avgLength = this.size > 0 ? total / this.size : 0;
  }

  /** Reads bytes written by {@link serialize}; throws on anything malformed. */
  static deserialize(bytes: Buffer): LexicalIndex {
    return new LexicalIndex(decodePostings(bytes));
  }

  /**
   * The index of a changed collection, without re-reading the documents that stayed (see
   * mergePostings). Equal, to the byte, to building the new collection from scratch.
   */
  static derive(
    previous: LexicalIndex,
    keep: Int32Array,
    size: number,
    added: ReadonlyMap<number, readonly string[]>,
  ): LexicalIndex {
    return new LexicalIndex(mergePostings(previous.postings, keep, size, added));
  }

  /** The index as bytes, for the index folder: loading them is much cheaper than re-stemming every passage. */
  serialize(): Buffer {
    return encodePostings(this.postings);
  }

  /** Whether a stem occurs anywhere in the indexed texts. */
  has(term: string): boolean {
    return this.termIds.has(term);
  }

  /** How many documents hold the term. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : u32At(this.postings.offsets, id + 1) - u32At(this.postings.offsets, id);
  }

  /** BM25's inverse document frequency (the non-negative variant); an unseen term gets the maximum. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Every distinct term, for fuzzy matching of misspelt question words. */
  vocabulary(): IterableIterator<string> {
    return this.postings.terms.values();
  }

  /**
   * Scores documents against weighted query terms and returns the best `k`, highest first
   * (ties by position). `weights` lets a caller count a corrected or related word for less
   * than an exact one.
   */
  search(query: readonly string[], k: number, weights?: ReadonlyMap<string, number>): LexicalHit[] {
    const { k1, b } = BM25_DEFAULTS;
    const { offsets, docs, tfs, lengths } = this.postings;
    const avg = this.avgLength || 1;
    this.scores ??= new Float64Array(this.size);
    const scores = this.scores;
    this.stamps ??= new Uint32Array(this.size);
    const stamps = this.stamps;
    this.touched ??= new Uint32Array(this.size);
    const touched = this.touched;
    if (++this.stamp === 0xffff_ffff) {
      stamps.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    let count = 0;
    for (const term of new Set(query)) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term) * (weights?.get(term) ?? 1);
      const end = u32At(offsets, id + 1);
      for (let i = u32At(offsets, id); i < end; i++) {
        // Checked inline, not through checked-at.ts: this loop runs for every posting of
        // every query term, and a call per read cost a tenth of the search time.
        const doc = docs[i];
        const tf = tfs[i];
        if (doc === undefined || tf === undefined) throw new RangeError(`posting ${i} is outside the postings`);
        const length = lengths[doc];
        if (length === undefined) throw new RangeError(`document ${doc} is outside the index`);
        const norm = tf + k1 * (1 - b + (b * length) / avg);
        // A document's first posting of this query starts its score at 0 (the arrays are reused).
        let score = 0;
        if (stamps[doc] !== stamp) {
          stamps[doc] = stamp;
          touched[count++] = doc;
        } else {
          const sum = scores[doc];
          if (sum === undefined) throw new RangeError(`document ${doc} is outside the scores`);
          score = sum;
        }
        scores[doc] = score + (idf * tf * (k1 + 1)) / norm;
      }
    }
    return topK(scores, touched.subarray(0, count), k);
  }
}

function isPostings(source: readonly (readonly string[])[] | Postings): source is Postings {
  return !Array.isArray(source);
}

function fromDocuments(documents: readonly (readonly string[])[]): Postings {
  const acc = new PostingAccumulator(documents.length);
  const lengths = new Uint32Array(documents.length);
  documents.forEach((tokens, doc) => {
    lengths[doc] = tokens.length;
    acc.addDocument(doc, tokens);
  });
  return acc.finish(lengths);
}
