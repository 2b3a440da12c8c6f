import { setImmediate } from "node:timers/promises";
import { at, u32At } from "../checked-at.js";
import { compareTerms, type Postings } from "./postings.js";

/**
 * Collects (term, document, tf) triples, documents in any order, in growing typed arrays, and
 * sorts them into postings. The result does not depend on the order documents were added in.
 */
export class PostingAccumulator {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private termOf = new Uint32Array(1024);
  private docOf = new Uint32Array(1024);
  private tfOf = new Uint32Array(1024);
  private count = 0;
  /** Scratch: occurrences of each term in the document being added. */
  private counts = new Uint32Array(1024);

  /** For documents 0 ≤ doc < size. */
  constructor(private readonly size: number) {}

  /** Adds document `doc`'s tokens (once per document). */
  addDocument(doc: number, tokens: readonly string[]): void {
    const distinct: number[] = [];
    for (const token of tokens) {
      const id = this.intern(token);
      if (id >= this.counts.length) this.counts = grow(this.counts, id + 1);
      if (this.counts[id] === 0) distinct.push(id);
      this.counts[id] = u32At(this.counts, id) + 1;
    }
    for (const id of distinct) {
      this.push(id, doc, u32At(this.counts, id));
      this.counts[id] = 0;
    }
  }

  /** Postings with terms in sorted order and each term's documents ascending; `lengths` are the documents' token counts. */
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

  private intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
    }
    return id;
  }

  private push(term: number, doc: number, tf: number): void {
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

  /** The work of `finish` in steps: yields between them. */
  private *steps(lengths: Uint32Array): Generator<void, Postings> {
    const n = this.count;
    const names = this.names;
    // Sorted term order makes the bytes independent of the order documents were added in.
    const order = names.map((_, i) => i).sort((a, b) => compareTerms(at(names, a), at(names, b)));
    const rank = new Uint32Array(names.length);
    order.forEach((id, r) => {
      rank[id] = r;
    });
    yield;
    // Two stable counting sorts: by document, then by term.
    const byDoc = countingSort(this.docOf, n, this.size, null);
    yield;
    const sorted = countingSort(this.termOf, n, names.length, byDoc, rank);
    yield;
    const offsets = new Uint32Array(names.length + 1);
    for (let i = 0; i < n; i++) {
      const t = u32At(rank, u32At(this.termOf, i)) + 1;
      offsets[t] = u32At(offsets, t) + 1;
    }
    for (let t = 0; t < names.length; t++) offsets[t + 1] = u32At(offsets, t + 1) + u32At(offsets, t);
    const docs = new Uint32Array(n);
    const tfs = new Uint32Array(n);
    sorted.forEach((i, j) => {
      docs[j] = u32At(this.docOf, i);
      tfs[j] = u32At(this.tfOf, i);
    });
    return { terms: order.map((id) => at(names, id)), offsets, docs, tfs, lengths };
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
  const key = (i: number) => (rank ? u32At(rank, u32At(keys, i)) : u32At(keys, i));
  const start = new Uint32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const b = key(i) + 1;
    start[b] = u32At(start, b) + 1;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = u32At(start, b + 1) + u32At(start, b);
  const out = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const i = input ? u32At(input, j) : j;
    const k = key(i);
    out[u32At(start, k)] = i;
    start[k] = u32At(start, k) + 1;
  }
  return out;
}

function grow(a: Uint32Array, atLeast = 0): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(Math.max(a.length * 2, atLeast));
  next.set(a);
  return next;
}
