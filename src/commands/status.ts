import type { Services } from "./services.js";

/** What `/status` reports. */
export interface StatusReport {
  readonly version: string;
  readonly articles: number;
  readonly passages: number;
  readonly builtAt: string;
  readonly embedder: string;
  /** The model that writes answers, or null when answers are quoted. */
  readonly answerModel: string | null;
  readonly corpusChecksum: string;
  readonly uptimeSeconds: number;
  readonly rebuilding: boolean;
}

/** Facts about the served index and the running program. */
export function status(services: Services, now: Date = new Date()): StatusReport {
  const m = services.indexes.current.manifest;
  return {
    version: services.version,
    articles: m.articleCount,
    passages: m.passageCount,
    builtAt: m.builtAt,
    embedder: m.embedder.id,
    answerModel: services.model?.name ?? null,
    corpusChecksum: m.corpusChecksum.slice(0, 12),
    uptimeSeconds: Math.max(0, Math.round((now.getTime() - services.startedAt.getTime()) / 1000)),
    rebuilding: services.indexes.rebuilding,
  };
}
