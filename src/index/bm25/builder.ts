import { PostingAccumulator } from "./accumulate.js";
import { LexicalIndex } from "./lexical-index.js";

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
}
