import { Answerer } from "../answer/answerer.js";
import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import type { IndexManager } from "../index/index-manager.js";
import type { PassageIndex } from "../index/passage-index.js";
import type { Logger } from "../log.js";

/**
 * What every command needs, passed in rather than imported, so tests build the real thing
 * and transports (Discord, terminal) share one instance.
 */
export class Services {
  private answerers = new WeakMap<PassageIndex, Answerer>();

  constructor(
    readonly indexes: IndexManager,
    readonly embedder: PassageEmbedder,
    readonly concepts: ConceptSource | null,
    readonly logger: Logger,
    readonly version: string,
    readonly startedAt: Date = new Date(),
  ) {}

  /** The answerer for the index being served now (a rebuild swaps in a new one). */
  answerer(): Answerer {
    const index = this.indexes.current;
    let answerer = this.answerers.get(index);
    if (!answerer) {
      answerer = new Answerer(index, this.embedder, this.concepts);
      this.answerers.set(index, answerer);
    }
    return answerer;
  }
}
