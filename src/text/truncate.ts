/**
 * Cuts text to at most `max` characters, on a word boundary where one is near, ending with an
 * ellipsis when anything was cut. Never splits a surrogate pair or leaves a dangling escape.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "…".slice(0, max);
  let cut = text.slice(0, max - 1);
  // Cut back to the last whole word, unless the cut already falls between words.
  const space = cut.search(/\s\S*$/);
  if (!/\s/.test(text[cut.length] ?? "") && space > max * 0.6) cut = cut.slice(0, space);
  // A lone high surrogate or an odd trailing backslash would corrupt what follows.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  while (/(^|[^\\])(\\\\)*\\$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s,;:]+$/, "")}…`;
}
