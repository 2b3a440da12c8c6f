/** A span of a string: `text.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

// Words that end in a period without ending a sentence ("Mr. Qin", "U.S. officials", "Jan. 5").
const ABBREVIATIONS = new Set(
  `mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres supt
   jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc inc ltd co corp dept est approx fig
   e.g i.e u.s u.k u.n e.u a.m p.m`.split(/\s+/),
);

/**
 * Splits `text[start, end)` into sentence spans with exact offsets, trimmed of surrounding
 * white space. A sentence ends at `.`, `!` or `?` (plus any closing quotes or brackets) that is
 * followed by white space and then something that can open a sentence, unless the word before
 * the period is an abbreviation or an initial.
 */
export function splitSentences(text: string, start = 0, end = text.length): Span[] {
  const spans: Span[] = [];
  let sentenceStart = start;
  const re = /[.!?]+["'”’)\]]*(?=\s)/g;
  re.lastIndex = start;
  for (let m = re.exec(text); m !== null && m.index < end; m = re.exec(text)) {
    const stop = m.index + m[0].length;
    if (stop > end) break;
    if (m[0].startsWith(".") && m[0].length === 1 && isAbbreviation(text, sentenceStart, m.index)) continue;
    const next = nextNonSpace(text, stop, end);
    if (next === -1) break;
    if (!/[\p{Lu}\p{N}"'“‘([]/u.test(text[next] ?? "")) continue;
    pushTrimmed(spans, text, sentenceStart, stop);
    sentenceStart = next;
  }
  pushTrimmed(spans, text, sentenceStart, end);
  return spans;
}

function isAbbreviation(text: string, from: number, dot: number): boolean {
  let i = dot;
  while (i > from && /[\p{L}.]/u.test(text[i - 1] ?? "")) i--;
  const word = text.slice(i, dot).toLowerCase();
  if (word.length === 1) return true; // an initial: "John F. Kennedy"
  return ABBREVIATIONS.has(word);
}

function nextNonSpace(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) if (!/\s/.test(text[i] ?? "")) return i;
  return -1;
}

function pushTrimmed(spans: Span[], text: string, start: number, end: number): void {
  while (start < end && /\s/.test(text[start] ?? "")) start++;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
  if (end > start) spans.push({ start, end });
}
