import type { IndexFiles, PassageIndex } from "../passage-index.js";

/** What a rebuild changed, against the index it replaced. */
export interface IndexChanges {
  readonly articlesAdded: readonly string[];
  readonly articlesRemoved: readonly string[];
  readonly articlesChanged: readonly string[];
  readonly passagesAdded: number;
  readonly passagesRemoved: number;
}

/** What changed against the previous index (everything counts as added when there was none, or it was unreadable). */
export function indexChanges(previous: IndexFiles | null, index: PassageIndex): IndexChanges {
  const before = new Map((previous?.manifest.articles ?? []).map((a) => [a.source, a.sha256]));
  const after = new Map(index.manifest.articles.map((a) => [a.source, a.sha256]));
  const idsBefore = new Set((previous?.stored.passages ?? []).map((p) => p.metadata.id));
  const idsNow = new Set(index.passages.map((p) => p.metadata.id));
  let passagesAdded = 0;
  let passagesRemoved = 0;
  for (const id of idsNow) if (!idsBefore.has(id)) passagesAdded++;
  for (const id of idsBefore) if (!idsNow.has(id)) passagesRemoved++;
  return {
    articlesAdded: [...after.keys()].filter((s) => !before.has(s)),
    articlesRemoved: [...before.keys()].filter((s) => !after.has(s)),
    articlesChanged: [...after].filter(([s, h]) => before.has(s) && before.get(s) !== h).map(([s]) => s),
    passagesAdded,
    passagesRemoved,
  };
}
