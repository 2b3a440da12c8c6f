import { Answerer } from "../answer/answerer.js";
import type { AnswerModel } from "../answer/generate/answer-model.js";
import { GenerativeAnswerer } from "../answer/generate/generative-answerer.js";
import type { CorpusManager } from "../curation/corpus-manager.js";
import type { ConceptSource } from "../embed/concept-source.js";
import type { PassageEmbedder } from "../embed/embedder.js";
import type { AnswerLog } from "../feedback/answer-log.js";
import type { IndexManager } from "../index/index-manager.js";
import type { PassageIndex } from "../index/passage-index.js";
import type { Logger } from "../log.js";

/**
 * What every command needs, passed in rather than imported, so tests build the real thing
 * and transports (Discord, terminal) share one instance.
 */
export class Services {
  private answerers = new WeakMap<PassageIndex, Answerer>();
  /**
   * Why a part that is off could not be opened (a damaged `.sqlite` file names itself and the
   * fix): told to the moderator who meets it, not just "it is off".
   */
  readonly unavailable: { feedback: string | null; corpus: string | null } = { feedback: null, corpus: null };
  /**
   * With a shared corpus (PostgreSQL): the shared version this replica's corpus last matched, and
   * its changes still waiting to be shared; null for a corpus of its own. Set by compose.
   */
  replica: { readonly version: number; readonly pending: number } | null = null;
  private generators = new WeakMap<PassageIndex, GenerativeAnswerer>();

  constructor(
    readonly indexes: IndexManager,
    /** The configured embedder (every build uses it; the served index may be another's: `indexes.served`). */
    readonly embedder: PassageEmbedder,
    readonly concepts: ConceptSource | null,
    readonly logger: Logger,
    readonly version: string,
    /** The model that writes answers, when one is configured (null: answers are quoted). */
    readonly model: AnswerModel | null = null,
    readonly startedAt: Date = new Date(),
    /** The answer log (votes, /gaps, /forget-me, usage), or null when it is off or could not be opened. */
    readonly feedback: AnswerLog | null = null,
    /** Adds, removes and undoes articles (/corpus, `npm run corpus`), or null when there is no data folder for its history and log. */
    readonly corpus: CorpusManager | null = null,
  ) {}

  /**
   * The answerer for the index being served now (a rebuild swaps in a new one). Questions are
   * embedded by the embedder that built that index, which is not the configured one while a
   * remote embedder's first index builds behind the local one.
   */
  answerer(): Answerer {
    const { index, embedder } = this.indexes.served;
    let answerer = this.answerers.get(index);
    if (!answerer) {
      answerer = new Answerer(index, embedder, this.concepts, {
        onDenseFailure: (error) => this.logger.warn("retrieval.dense_unavailable", { embedder: embedder.id, error }),
      });
      this.answerers.set(index, answerer);
    }
    return answerer;
  }

  /** The generating answerer for the index being served now, or null when no model is configured. */
  generator(): GenerativeAnswerer | null {
    if (!this.model) return null;
    const index = this.indexes.current;
    let generator = this.generators.get(index);
    if (!generator) {
      generator = new GenerativeAnswerer(this.answerer(), this.model, this.logger);
      this.generators.set(index, generator);
    }
    return generator;
  }
}
