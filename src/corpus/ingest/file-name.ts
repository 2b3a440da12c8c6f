/** Names Windows refuses for a file, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/;
const MAX_SLUG = 80;

/**
 * A safe file name for an article from its title: ASCII letters and digits joined by hyphens,
 * at most 80 characters, cut between words, ending `.md`. No path part, dot file or reserved
 * name can come out of it, whatever the title says. `fallback` names it when the title has no
 * letters or digits (a title in another script).
 */
export function articleFileName(title: string, fallback = "article"): string {
  const slug = slugify(title) || slugify(fallback) || "article";
  return `${RESERVED.test(slug) ? `article-${slug}` : slug}.md`;
}

function slugify(text: string): string {
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > MAX_SLUG) return slug || word.slice(0, MAX_SLUG);
    slug = next;
  }
  return slug;
}
