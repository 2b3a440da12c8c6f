import type { AuditEntry, CorpusArticle, CorpusArticleDetails, CorpusChange } from "../../src/curation/types.js";

const VERB: Record<CorpusChange["action"], string> = {
  add: "Added",
  replace: "Replaced",
  remove: "Removed",
  undo: "Undid",
};

/** A change in a few lines: what happened to which article, its passages, a preview, the reindex. */
export function formatChange(change: CorpusChange): string {
  const passages = `${change.passages} passage${change.passages === 1 ? "" : "s"}`;
  const head =
    change.action === "undo"
      ? `Undid the last change (${change.undid ?? "?"} of ${change.source}); "${change.title}" now has ${passages}.`
      : `${VERB[change.action]} "${change.title}" (${change.source}): ${passages}.`;
  const lines = [head];
  if (change.preview) lines.push(`  ${change.preview}`);
  const m = change.build.index.manifest;
  lines.push(
    `Reindexed (${change.build.kind}) in ${change.build.seconds.toFixed(2)} s: ${m.articleCount} articles, ${m.passageCount} passages.`,
  );
  return lines.join("\n");
}

/** The corpus as a table: title, file, passages, who added it and when. */
export function formatArticles(articles: readonly CorpusArticle[]): string {
  if (articles.length === 0) return "The corpus has no articles.";
  const lines = articles.map(
    (a) =>
      `${a.title} — ${a.source} — ${a.passages} passage${a.passages === 1 ? "" : "s"}${
        a.addedBy ? ` — added by ${a.addedBy} on ${a.addedAt?.slice(0, 10) ?? "?"}` : ""
      }`,
  );
  return [`${articles.length} article${articles.length === 1 ? "" : "s"}:`, ...lines].join("\n");
}

/** One article: title, file, passages, front matter and first paragraph. */
export function formatArticle(article: CorpusArticleDetails): string {
  const lines = [`${article.title} (${article.source}), ${article.passages} passages`];
  for (const [key, value] of Object.entries(article.frontMatter)) if (value !== "") lines.push(`  ${key}: ${value}`);
  lines.push("", article.firstParagraph);
  return lines.join("\n");
}

/** The audit log, newest first: when, who, what, which article, from where, checksum. */
export function formatLog(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return "No changes to the corpus have been made through Passage.";
  return entries
    .map(
      (e) =>
        `#${e.id} ${e.at} ${e.actor.name} ${e.action}${e.undone ? " (undone)" : ""} ${e.source} from ${e.origin} sha256:${e.checksum.slice(0, 12)}`,
    )
    .join("\n");
}
