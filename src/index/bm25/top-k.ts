/** A document found by a lexical search: its position and BM25 score. */
export interface LexicalHit {
  readonly index: number;
  readonly score: number;
}

/**
 * The best `k` of the touched documents by (score desc, position asc), sorted. Reads are
 * checked where they happen (a document without a score throws) rather than through
 * checked-at.ts: this runs over every document a query touches, and calls there cost a tenth
 * of the search time.
 */
export function topK(scores: Float64Array, touched: Uint32Array, k: number): LexicalHit[] {
  if (k <= 0) return [];
  const better = (a: number, b: number) => {
    const sa = scores[a];
    const sb = scores[b];
    if (sa === undefined || sb === undefined) throw unscored(a, b, scores);
    return sa > sb || (sa === sb && a < b);
  };
  // A min-heap (worst on top) of at most k documents, each slot read below its length.
  const heap: number[] = [];
  for (const doc of touched) {
    if (heap.length < k) {
      heap.push(doc);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        const up = heap[parent];
        if (up === undefined || !better(up, doc)) break;
        heap[i] = up;
        heap[parent] = doc;
        i = parent;
      }
    } else {
      const top = heap[0];
      if (top === undefined) throw new RangeError("a full heap has no top");
      if (!better(doc, top)) continue;
      // The new document replaces the worst on top and sinks to its place.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let worst = i;
        let worstDoc = doc;
        const left = heap[l];
        if (left !== undefined && better(worstDoc, left)) {
          worst = l;
          worstDoc = left;
        }
        const right = heap[r];
        if (right !== undefined && better(worstDoc, right)) {
          worst = r;
          worstDoc = right;
        }
        if (worst === i) break;
        heap[i] = worstDoc;
        i = worst;
      }
      heap[i] = doc;
    }
  }
  return heap
    .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0))
    .map((index) => {
      const score = scores[index];
      if (score === undefined) throw unscored(index, index, scores);
      return { index, score };
    });
}

function unscored(a: number, b: number, scores: Float64Array): RangeError {
  return new RangeError(`document ${a < scores.length ? b : a} is outside the ${scores.length} scores`);
}
