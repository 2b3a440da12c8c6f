/**
 * Text normalisation shared by every stage that compares words: the lexical index,
 * the local embedder and the answer composer must agree on what a "word" is, or a
 * question would match differently in each.
 */

// Typographic variants folded to ASCII so “China’s” and "China's" are one word.
const FOLD: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
  "\u00A0": " ",
};
const FOLD_RE = new RegExp(`[${Object.keys(FOLD).join("")}]`, "g");

/** Folds curly quotes, dashes and non-breaking spaces to their ASCII forms and lowercases. */
export function foldText(text: string): string {
  return text.replace(FOLD_RE, (c) => FOLD[c] ?? c).toLowerCase();
}

/**
 * Splits text into lowercase word tokens: letters and digits, keeping inner hyphens
 * ("china-us" also yields "china" and "us") and dropping possessive 's.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of foldText(text).matchAll(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu)) {
    let w = match[0];
    if (w.endsWith("'s")) w = w.slice(0, -2);
    if (w.includes("'")) w = w.replace(/'/g, "");
    if (w.includes("-")) {
      const parts = w.split("-").filter((p) => p.length > 0);
      out.push(...parts);
      if (parts.length > 1) out.push(parts.join(""));
      continue;
    }
    if (w.length > 0) out.push(w);
  }
  return out;
}
