import { setImmediate } from "node:timers/promises";
import type { SkippedFile } from "../../corpus/article.js";
import type { Corpus } from "../../corpus/load-corpus.js";
import type { Passage } from "../../corpus/passage.js";
import { splitArticle } from "../../corpus/split-passages.js";
import { PassageError } from "../../errors.js";
import { sha256 } from "../checksum.js";
import type { Manifest, ManifestArticle } from "../manifest.js";
import type { StoredPassages } from "../passage-store.js";

/** The passages of a corpus, in index order, and its articles as the manifest lists them. */
export interface SplitCorpus {
  readonly passages: readonly Passage[];
  readonly articles: readonly ManifestArticle[];
}

/** What splitting reads of a previous index: its articles' checksums and its passages. */
export interface StoredCorpus {
  readonly manifest: Pick<Manifest, "articles">;
  readonly stored: Pick<StoredPassages, "passages">;
}

/**
 * Splits every article into passages. An article whose file is byte for byte the one the
 * `previous` index was built from splits into the passages it stored (the format version
 * guarantees the same splitter), so only the others are split again: a third of a one-article
 * reindex at 100,000 passages was splitting. Thousands of articles take a while, so questions
 * are let through now and then.
 */
export async function splitCorpus(corpus: Corpus, previous: StoredCorpus | null): Promise<SplitCorpus> {
  const stored = previous ? storedByArticle(previous) : null;
  const passages: Passage[] = [];
  const articles: ManifestArticle[] = [];
  for (const [i, article] of corpus.articles.entries()) {
    const checksum = sha256(article.content);
    const before = stored?.get(article.source);
    const split =
      before && before.sha256 === checksum && before.title === article.title ? before.passages : splitArticle(article);
    passages.push(...split);
    articles.push({ source: article.source, title: article.title, passages: split.length, sha256: checksum });
    if (i % 256 === 255) await setImmediate();
  }
  return { passages, articles };
}

/** Refuses a corpus without passages, saying which files were skipped and that the current index stays. */
export function emptyCorpusError(corpusDir: string, skipped: readonly SkippedFile[]): PassageError {
  const why = skipped.length > 0 ? ` (skipped: ${skipped.map((s) => `${s.source}: ${s.reason}`).join("; ")})` : "";
  return new PassageError(
    "CORPUS_EMPTY",
    `The corpus folder ${corpusDir} has no readable articles${why}. The current index was kept.`,
  );
}

/** The previous index's passages by article, with the checksum of the file they were split from. */
function storedByArticle(previous: StoredCorpus): Map<string, { sha256: string; title: string; passages: Passage[] }> {
  const byArticle = new Map<string, { sha256: string; title: string; count: number; passages: Passage[] }>();
  for (const a of previous.manifest.articles)
    byArticle.set(a.source, { sha256: a.sha256, title: a.title, count: a.passages, passages: [] });
  for (const p of previous.stored.passages) byArticle.get(p.metadata.source)?.passages.push(p);
  // An article whose stored passages do not add up is split again.
  for (const [source, a] of byArticle) if (a.passages.length !== a.count) byArticle.delete(source);
  return byArticle;
}
