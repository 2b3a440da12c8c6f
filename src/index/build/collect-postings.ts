import { setImmediate } from "node:timers/promises";
import type { Passage } from "../../corpus/passage.js";
import type { ConceptSource } from "../../embed/concept-source.js";
import { stems } from "../../text/analyze.js";
import { LexicalIndexBuilder } from "../bm25/builder.js";
import { LexicalIndex } from "../bm25/lexical-index.js";
import { at } from "../checked-at.js";
import { conceptTokens } from "../concept-postings.js";

/** The postings of a previous index, and where its passages went: what an incremental build merges into. */
export interface PostingsBase {
  readonly lexical: LexicalIndex;
  readonly concepts: LexicalIndex;
  /** `keep[old]`: the new position of previous passage `old`, or -1. */
  readonly keep: Int32Array;
}

/**
 * Makes the BM25 and concept postings of the passages being embedded, batch by batch on this
 * thread while the graph worker links (it is the slower side), rather than in one stall at the
 * end; then merges them into the previous index's postings, or builds them whole.
 */
export class PostingsCollector {
  /** Builders of the whole postings (a full build), or the tokens of the added passages (to merge into `base`). */
  private readonly collected:
    | { readonly base: null; readonly lexical: LexicalIndexBuilder; readonly concepts: LexicalIndexBuilder }
    | {
        readonly base: PostingsBase;
        readonly lexical: Map<number, string[]>;
        readonly concepts: Map<number, string[]>;
      };

  constructor(
    private readonly passages: readonly Passage[],
    private readonly conceptSource: ConceptSource | null,
    /** The previous postings to merge into; null for a full build. */
    base: PostingsBase | null,
  ) {
    this.collected = base
      ? { base, lexical: new Map(), concepts: new Map() }
      : {
          base: null,
          lexical: new LexicalIndexBuilder(passages.length),
          concepts: new LexicalIndexBuilder(passages.length),
        };
  }

  /** Tokenises the passages at `positions`. */
  add(positions: readonly number[]): void {
    const c = this.collected;
    for (const position of positions) {
      const passage = at(this.passages, position);
      const words = stems(passage.pageContent);
      const concepts = this.conceptSource ? conceptTokens(passage.pageContent, this.conceptSource) : [];
      if (c.base === null) {
        c.lexical.add(position, words);
        c.concepts.add(position, concepts);
      } else {
        c.lexical.set(position, words);
        c.concepts.set(position, concepts);
      }
    }
  }

  /** The postings of every passage. Each takes up to a second at 100,000 passages: questions are let through between them. */
  async finish(): Promise<{ lexical: LexicalIndex; concepts: LexicalIndex }> {
    const c = this.collected;
    const size = this.passages.length;
    const lexical =
      c.base === null
        ? await c.lexical.buildAsync()
        : LexicalIndex.derive(c.base.lexical, c.base.keep, size, c.lexical);
    await setImmediate();
    const concepts =
      c.base === null
        ? await c.concepts.buildAsync()
        : LexicalIndex.derive(c.base.concepts, c.base.keep, size, c.concepts);
    await setImmediate();
    return { lexical, concepts };
  }
}
