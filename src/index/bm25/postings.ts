/**
 * The arrays a lexical index is made of: compressed sparse rows, one run of documents per
 * term, in flat typed arrays rather than per-posting objects (at 100,000 passages a query term
 * may occur in tens of thousands of them).
 */
export interface Postings {
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

/** The order of terms in postings: by UTF-16 code unit, as `<` compares strings (not locale order). */
export function compareTerms(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
