/**
 * Okapi BM25 over stemmed content words. Built from token lists so the same class scores
 * passages (for retrieval) and sentences (for composing answers).
 *
 * Postings are held in flat typed arrays (compressed sparse rows: one run of documents per
 * term), not in per-posting objects: at 100,000 passages a query term may occur in tens of
 * thousands of them, and adding scores into a Float64Array is some 50 times faster than into
 * a Map, with a tenth of the memory. Scores are computed with the same arithmetic, in the same
 * order, as the straightforward version, so rankings are identical to the last bit.
 */
import { setImmediate } from "node:timers/promises";

export interface LexicalHit {
  readonly index: number;
  readonly score: number;
}

/** BM25 parameters: the standard values, which FACTS.md found best on the seed article too. */
export const BM25_DEFAULTS = { k1: 1.2, b: 0.75 } as const;

/** The arrays a lexical index is made of, as serialised. */
interface Postings {
  /** Term strings, sorted (code-unit order): a term's id is its position. */
  readonly terms: readonly string[];
  /** `offsets[t]..offsets[t+1]` is term t's run in `docs` and `tfs`; length terms + 1. */
  readonly offsets: Uint32Array;
  /** Documents holding each term, ascending within a term's run. */
  readonly docs: Uint32Array;
  /** How often the term occurs in that document. */
  readonly tfs: Uint32Array;
  /** Token count of each document. */
  readonly lengths: Uint32Array;
}

const MAGIC = 0x5845_4c50; // "PLEX", little-endian
const FORMAT = 1;
const TERM_SEPARATOR = "\0";

export class LexicalIndex {
  readonly size: number;
  private readonly terms: readonly string[];
  private readonly termIds: Map<string, number>;
  private readonly offsets: Uint32Array;
  private readonly docs: Uint32Array;
  private readonly tfs: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly avgLength: number;
  // Scratch for search, allocated on first use and reused (search is synchronous).
  private scores: Float64Array | null = null;
  private stamps: Uint32Array | null = null;
  private touched: Uint32Array | null = null;
  private stamp = 0;

  constructor(documents: readonly (readonly string[])[]);
  /** @internal used by {@link LexicalIndex.deserialize} and {@link LexicalIndex.derive} */
  constructor(postings: Postings);
  constructor(source: readonly (readonly string[])[] | Postings) {
    const p = isPostings(source) ? source : fromDocuments(source);
    this.terms = p.terms;
    this.offsets = p.offsets;
    this.docs = p.docs;
    this.tfs = p.tfs;
    this.lengths = p.lengths;
    this.size = p.lengths.length;
    this.termIds = new Map();
    p.terms.forEach((t, i) => {
      this.termIds.set(t, i);
    });
    let total = 0;
    for (const len of p.lengths) total += len;
    this.avgLength = this.size > 0 ? total / this.size : 0;
  }

  /** Whether a stem occurs anywhere in the indexed texts. */
  has(term: string): boolean {
    return this.termIds.has(term);
  }

  /** How many documents hold the term. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : (this.offsets[id + 1] ?? 0) - (this.offsets[id] ?? 0);
  }

  /** BM25's inverse document frequency (the non-negative variant); an unseen term gets the maximum. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Every distinct term, for fuzzy matching of misspelt question words. */
  vocabulary(): IterableIterator<string> {
    return this.terms.values();
  }

  /**
   * Scores documents against weighted query terms and returns the best `k`, highest first
   * (ties by position). `weights` lets a caller count a corrected or related word for less
   * than an exact one.
   */
  search(query: readonly string[], k: number, weights?: ReadonlyMap<string, number>): LexicalHit[] {
    const { k1, b } = BM25_DEFAULTS;
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
      const end = this.offsets[id + 1] ?? 0;
      for (let i = this.offsets[id] ?? 0; i < end; i++) {
        const doc = this.docs[i] ?? 0;
        const tf = this.tfs[i] ?? 0;
        const len = this.lengths[doc] ?? 0;
        const norm = tf + k1 * (1 - b + (b * len) / avg);
        if (stamps[doc] !== stamp) {
          stamps[doc] = stamp;
          scores[doc] = 0;
          touched[count++] = doc;
        }
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (k1 + 1)) / norm;
      }
    }
    return topK(scores, touched.subarray(0, count), k);
  }

  /** The index as bytes, for the index folder: loading them is much cheaper than re-stemming every passage. */
  serialize(): Buffer {
    for (const t of this.terms)
      if (t.includes(TERM_SEPARATOR)) throw new Error("a lexical term contains a NUL character");
    const terms = Buffer.from(this.terms.join(TERM_SEPARATOR), "utf8");
    const padded = align4(terms.length);
    const header = new Uint32Array([MAGIC, FORMAT, this.size, this.terms.length, this.docs.length, terms.length]);
    const parts = [header, this.offsets, this.docs, this.tfs, this.lengths].map((a) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    );
    return Buffer.concat([parts[0] ?? Buffer.alloc(0), terms, Buffer.alloc(padded - terms.length), ...parts.slice(1)]);
  }

  /** Reads bytes written by {@link serialize}; throws on anything malformed. */
  static deserialize(bytes: Buffer): LexicalIndex {
    // Typed-array views need 4-byte alignment; a Buffer from the pool may not have it.
    const buf = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
    const u32 = (offset: number, length: number) => {
      if (offset + length * 4 > buf.length) throw new Error("the lexical index is truncated");
      return new Uint32Array(buf.buffer, buf.byteOffset + offset, length);
    };
    const [magic, format, size, termCount, postings, termBytes] = u32(0, 6);
    if (magic !== MAGIC || format !== FORMAT) throw new Error("not a lexical index of this format");
    if (size === undefined || termCount === undefined || postings === undefined || termBytes === undefined)
      throw new Error("the lexical index is truncated");
    let at = 24;
    if (at + termBytes > buf.length) throw new Error("the lexical index is truncated");
    const text = buf.toString("utf8", at, at + termBytes);
    const terms = termCount === 0 ? [] : text.split(TERM_SEPARATOR);
    at += align4(termBytes);
    const offsets = u32(at, termCount + 1);
    at += offsets.byteLength;
    const docs = u32(at, postings);
    at += docs.byteLength;
    const tfs = u32(at, postings);
    at += tfs.byteLength;
    const lengths = u32(at, size);
    at += lengths.byteLength;
    if (at !== buf.length || terms.length !== termCount) throw new Error("the lexical index has the wrong length");
    if (offsets[0] !== 0 || offsets[termCount] !== postings)
      throw new Error("the lexical index's postings are inconsistent");
    for (let t = 0; t < termCount; t++)
      if ((offsets[t] ?? 0) > (offsets[t + 1] ?? 0)) throw new Error("the lexical index's postings are inconsistent");
    for (const d of docs) if (d >= size) throw new Error("the lexical index points past its documents");
    return new LexicalIndex({ terms, offsets, docs, tfs, lengths });
  }

  /**
   * The index of a changed collection, without re-reading the documents that stayed:
   * `keep[old]` is the new position of old document `old` (or -1 when it is gone), and `added`
   * gives the tokens of each new position that is not kept. Equal, to the byte, to building
   * the new collection from scratch.
   */
  static derive(
    previous: LexicalIndex,
    keep: Int32Array,
    size: number,
    added: ReadonlyMap<number, readonly string[]>,
  ): LexicalIndex {
    const lengths = new Uint32Array(size);
    for (let old = 0; old < previous.size && old < keep.length; old++) {
      const doc = keep[old] ?? -1;
      if (doc >= 0) lengths[doc] = previous.lengths[old] ?? 0;
    }
    // The added documents' postings, sorted as any index's are (terms in order, docs ascending).
    const acc = new PostingAccumulator(size);
    for (const [doc, tokens] of added) {
      lengths[doc] = tokens.length;
      acc.addDocument(doc, tokens);
    }
    const extra = acc.finish(lengths);
    // Merge them with the kept postings term by term, in one pass over the typed arrays: when one
    // article of thousands changed, this is linear in the postings with no per-posting objects
    // (re-accumulating every posting took 2.5 s for the 9 million concept postings of 100,000
    // passages).
    const capacity = previous.docs.length + extra.docs.length;
    const docs = new Uint32Array(capacity);
    const tfs = new Uint32Array(capacity);
    const terms: string[] = [];
    const offsets = new Uint32Array(previous.terms.length + extra.terms.length + 1);
    const { docs: oldDocs, tfs: oldTfs, offsets: oldOffsets } = previous;
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < previous.terms.length || j < extra.terms.length) {
      const a = previous.terms[i];
      const b = extra.terms[j];
      const order = a === undefined ? 1 : b === undefined ? -1 : compare(a, b);
      const start = n;
      let ascending = true;
      if (order <= 0) {
        const end = oldOffsets[i + 1] ?? 0;
        let last = -1;
        for (let p = oldOffsets[i] ?? 0; p < end; p++) {
          const doc = keep[oldDocs[p] ?? 0] ?? -1;
          if (doc < 0) continue;
          if (doc < last) ascending = false;
          last = doc;
          docs[n] = doc;
          tfs[n] = oldTfs[p] ?? 0;
          n++;
        }
        i++;
      }
      if (order >= 0) {
        const mid = n;
        const end = extra.offsets[j + 1] ?? 0;
        for (let p = extra.offsets[j] ?? 0; p < end; p++) {
          docs[n] = extra.docs[p] ?? 0;
          tfs[n] = extra.tfs[p] ?? 0;
          n++;
        }
        j++;
        if (ascending && mid > start && n > mid) mergeRuns(docs, tfs, start, mid, n);
      }
      if (!ascending) sortRun(docs, tfs, start, n);
      if (n > start) {
        terms.push((order <= 0 ? a : b) ?? "");
        offsets[terms.length] = n;
      }
    }
    return new LexicalIndex({
      terms,
      offsets: offsets.slice(0, terms.length + 1),
      docs: docs.slice(0, n),
      tfs: tfs.slice(0, n),
      lengths,
    });
  }
}

/** Merges the ascending runs [start, mid) and [mid, end) of `docs` (with their `tfs`) in place. */
function mergeRuns(docs: Uint32Array, tfs: Uint32Array, start: number, mid: number, end: number): void {
  if ((docs[mid - 1] ?? 0) <= (docs[mid] ?? 0)) return;
  const leftDocs = docs.slice(start, mid);
  const leftTfs = tfs.slice(start, mid);
  let l = 0;
  let r = mid;
  let out = start;
  while (l < leftDocs.length) {
    if (r < end && (docs[r] ?? 0) < (leftDocs[l] ?? 0)) {
      docs[out] = docs[r] ?? 0;
      tfs[out++] = tfs[r++] ?? 0;
    } else {
      docs[out] = leftDocs[l] ?? 0;
      tfs[out++] = leftTfs[l++] ?? 0;
    }
  }
}

/** Sorts the run [start, end) of `docs` (with their `tfs`) by document (kept documents that changed order). */
function sortRun(docs: Uint32Array, tfs: Uint32Array, start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, k) => start + k).sort(
    (x, y) => (docs[x] ?? 0) - (docs[y] ?? 0),
  );
  const d = order.map((k) => docs[k] ?? 0);
  const t = order.map((k) => tfs[k] ?? 0);
  docs.set(d, start);
  tfs.set(t, start);
}

function isPostings(source: readonly (readonly string[])[] | Postings): source is Postings {
  return !Array.isArray(source);
}

function fromDocuments(documents: readonly (readonly string[])[]): Postings {
  const builder = new LexicalIndexBuilder(documents.length);
  documents.forEach((tokens, doc) => {
    builder.add(doc, tokens);
  });
  return builder.postings();
}

/**
 * Builds a LexicalIndex a few documents at a time, in any order, so a caller can add each
 * batch as it comes (an index build adds them while the graph worker links) instead of
 * stalling on the whole collection at the end. Equal, to the byte, to `new LexicalIndex(all)`.
 */
export class LexicalIndexBuilder {
  private readonly acc: PostingAccumulator;
  private readonly lengths: Uint32Array;

  constructor(readonly size: number) {
    this.acc = new PostingAccumulator(size);
    this.lengths = new Uint32Array(size);
  }

  /** Adds document `doc` (0 ≤ doc < size), once. */
  add(doc: number, tokens: readonly string[]): void {
    if (!(doc >= 0 && doc < this.size)) throw new RangeError(`document ${doc} is outside 0..${this.size - 1}`);
    this.lengths[doc] = tokens.length;
    this.acc.addDocument(doc, tokens);
  }

  /** The index of the documents added, letting the event loop run between the steps of sorting their postings. */
  async buildAsync(): Promise<LexicalIndex> {
    return new LexicalIndex(await this.acc.finishAsync(this.lengths));
  }

  /** @internal */
  postings(): Postings {
    return this.acc.finish(this.lengths);
  }
}

/** Collects (term, document, tf) triples in any order and sorts them into postings. */
class PostingAccumulator {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private termOf = new Uint32Array(1024);
  private docOf = new Uint32Array(1024);
  private tfOf = new Uint32Array(1024);
  private count = 0;
  private counts = new Uint32Array(1024);

  constructor(private readonly size: number) {}

  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
    }
    return id;
  }

  push(term: number, doc: number, tf: number): void {
    if (this.count === this.termOf.length) {
      this.termOf = grow(this.termOf);
      this.docOf = grow(this.docOf);
      this.tfOf = grow(this.tfOf);
    }
    this.termOf[this.count] = term;
    this.docOf[this.count] = doc;
    this.tfOf[this.count] = tf;
    this.count++;
  }

  addDocument(doc: number, tokens: readonly string[]): void {
    const distinct: number[] = [];
    for (const token of tokens) {
      const id = this.intern(token);
      if (id >= this.counts.length) this.counts = grow(this.counts, id + 1);
      if (this.counts[id] === 0) distinct.push(id);
      this.counts[id] = (this.counts[id] ?? 0) + 1;
    }
    for (const id of distinct) {
      this.push(id, doc, this.counts[id] ?? 0);
      this.counts[id] = 0;
    }
  }

  /** Postings with terms in sorted order and each term's documents ascending. */
  finish(lengths: Uint32Array): Postings {
    const steps = this.steps(lengths);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** `finish`, letting the event loop run between its steps (each is a fraction of a second at 100,000 documents). */
  async finishAsync(lengths: Uint32Array): Promise<Postings> {
    const steps = this.steps(lengths);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await setImmediate();
    }
  }

  /** The work of `finish` in steps: yields between them. */
  private *steps(lengths: Uint32Array): Generator<void, Postings> {
    const n = this.count;
    // Sorted term order makes the bytes independent of the order documents were added in.
    const order = this.names.map((_, i) => i).sort((a, b) => compare(this.names[a] ?? "", this.names[b] ?? ""));
    const rank = new Uint32Array(this.names.length);
    order.forEach((id, r) => {
      rank[id] = r;
    });
    yield;
    // Two stable counting sorts: by document, then by term.
    const byDoc = countingSort(this.docOf, n, this.size, null);
    yield;
    const sorted = countingSort(this.termOf, n, this.names.length, byDoc, rank);
    yield;
    const offsets = new Uint32Array(this.names.length + 1);
    for (let i = 0; i < n; i++) {
      const t = (rank[this.termOf[i] ?? 0] ?? 0) + 1;
      offsets[t] = (offsets[t] ?? 0) + 1;
    }
    for (let t = 0; t < this.names.length; t++) offsets[t + 1] = (offsets[t + 1] ?? 0) + (offsets[t] ?? 0);
    const docs = new Uint32Array(n);
    const tfs = new Uint32Array(n);
    sorted.forEach((i, j) => {
      docs[j] = this.docOf[i] ?? 0;
      tfs[j] = this.tfOf[i] ?? 0;
    });
    return { terms: order.map((id) => this.names[id] ?? ""), offsets, docs, tfs, lengths };
  }
}

/**
 * Positions 0..n-1 (or those of `input`, in that order) stably sorted by `keys[i]` (mapped
 * through `rank` if given), with keys below `buckets`.
 */
function countingSort(
  keys: Uint32Array,
  n: number,
  buckets: number,
  input: Uint32Array | null,
  rank?: Uint32Array,
): Uint32Array {
  const key = (i: number) => (rank ? (rank[keys[i] ?? 0] ?? 0) : (keys[i] ?? 0));
  const start = new Uint32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const b = key(i) + 1;
    start[b] = (start[b] ?? 0) + 1;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] ?? 0) + (start[b] ?? 0);
  const out = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const i = input ? (input[j] ?? 0) : j;
    const k = key(i);
    out[start[k] ?? 0] = i;
    start[k] = (start[k] ?? 0) + 1;
  }
  return out;
}

/** The best `k` of the touched documents by (score desc, position asc), sorted. */
function topK(scores: Float64Array, touched: Uint32Array, k: number): LexicalHit[] {
  const better = (a: number, b: number) => {
    const sa = scores[a] ?? 0;
    const sb = scores[b] ?? 0;
    return sa > sb || (sa === sb && a < b);
  };
  // A min-heap (worst on top) of at most k documents.
  const heap: number[] = [];
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && better(heap[worst] ?? 0, heap[l] ?? 0)) worst = l;
      if (r < heap.length && better(heap[worst] ?? 0, heap[r] ?? 0)) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst] ?? 0, heap[i] ?? 0];
      i = worst;
    }
  };
  if (k <= 0) return [];
  for (const doc of touched) {
    if (heap.length < k) {
      heap.push(doc);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!better(heap[parent] ?? 0, heap[i] ?? 0)) break;
        [heap[i], heap[parent]] = [heap[parent] ?? 0, heap[i] ?? 0];
        i = parent;
      }
    } else if (better(doc, heap[0] ?? 0)) {
      heap[0] = doc;
      siftDown(0);
    }
  }
  return heap
    .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0))
    .map((index) => ({ index, score: scores[index] ?? 0 }));
}

function grow(a: Uint32Array, atLeast = 0): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(Math.max(a.length * 2, atLeast));
  next.set(a);
  return next;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
