import { f64At, u32At } from "../checked-at.js";

/** A document found by a lexical search: its position and BM25 score. */
export interface LexicalHit {
  readonly index: number;
  readonly score: number;
}

/** The best `k` of the touched documents by (score desc, position asc), sorted. */
export function topK(scores: Float64Array, touched: Uint32Array, k: number): LexicalHit[] {
  if (k <= 0) return [];
  const better = (a: number, b: number) => {
    const sa = f64At(scores, a);
    const sb = f64At(scores, b);
    return sa > sb || (sa === sb && a < b);
  };
  // A min-heap (worst on top) of at most k documents.
  const heap = new Uint32Array(Math.min(k, touched.length));
  let size = 0;
  const swap = (i: number, j: number) => {
    const t = u32At(heap, i);
    heap[i] = u32At(heap, j);
    heap[j] = t;
  };
  for (const doc of touched) {
    if (size < k) {
      heap[size++] = doc;
      for (let i = size - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!better(u32At(heap, parent), u32At(heap, i))) break;
        swap(i, parent);
        i = parent;
      }
    } else if (better(doc, u32At(heap, 0))) {
      heap[0] = doc;
      // Sift the new top down to its place.
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let worst = i;
        if (l < size && better(u32At(heap, worst), u32At(heap, l))) worst = l;
        if (r < size && better(u32At(heap, worst), u32At(heap, r))) worst = r;
        if (worst === i) break;
        swap(i, worst);
        i = worst;
      }
    }
  }
  return Array.from(heap.subarray(0, size))
    .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0))
    .map((index) => ({ index, score: f64At(scores, index) }));
}
