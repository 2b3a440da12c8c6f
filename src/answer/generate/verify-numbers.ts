import { foldText } from "../../text/normalize.js";

/**
 * Numbers as a text writes them, in figures or in words, for verification to compare: "three"
 * is 3, "ten thousand" is 10000, "seventy-one thousand" is 71000, "1.2 million" is 1200000 and
 * "1,200" is 1200. Pure.
 */

const UNITS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Readonly<Record<string, number>> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9 };

/** Whether a (folded) word is a number word: "three", "forty", "thousand". */
export function isNumberWord(word: string): boolean {
  return word in UNITS || word in TENS || word in SCALES;
}

/** One number a text writes: its value, the values of its parts, and the word after it. */
export interface NumberMention {
  /** As written, e.g. "ten thousand", "1.2 million". */
  readonly written: string;
  /** Its value, normalised ("10000", "1200000", "3.5"). */
  readonly value: string;
  /** Each figure or number word alone ("10", "1000"): what the text says when read word by word. */
  readonly parts: readonly string[];
  /** The (folded) word that follows it, if any: the thing counted ("one gram" → "gram"). */
  readonly next: string | null;
}

/** "1,200" and "1200" are one number; "3.5" keeps its point, "2.0" is 2. */
export function normalizeFigure(figure: string): string {
  return String(Number(figure.replace(/,(?=\d{3}\b)/g, "")));
}

function show(value: number): string {
  // 15.6 × 1e9 is 15600000000.000002 in floating point.
  return String(Number(value.toPrecision(12)));
}

type Token = { readonly text: string; readonly figure: boolean };

/**
 * The numbers in a text. A mention is a figure or a number word followed by number words that
 * continue it ("1.2 million", "seventy-one thousand", "two hundred"); two figures, or two units
 * ("five six"), are two mentions.
 */
export function numberMentions(text: string): NumberMention[] {
  const tokens: Token[] = [...foldText(text).matchAll(/\d+(?:[.,]\d+)*|\p{L}+/gu)].map((m) => ({
    text: m[0],
    figure: /^\d/.test(m[0]),
  }));
  const out: NumberMention[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i];
    if (first === undefined || !(first.figure || isNumberWord(first.text))) {
      i++;
      continue;
    }
    let total = 0;
    let current = 0;
    let last: "figure" | "unit" | "tens" | "scale" | null = null;
    const written: string[] = [];
    const parts: string[] = [];
    let j = i;
    for (; j < tokens.length; j++) {
      const t = tokens[j];
      if (t === undefined) break;
      if (t.figure) {
        if (last !== null) break;
        current = Number(normalizeFigure(t.text));
        last = "figure";
      } else if (t.text in UNITS) {
        if (last === "figure" || last === "unit") break;
        current += UNITS[t.text] ?? 0;
        last = "unit";
      } else if (t.text in TENS) {
        if (last === "figure" || last === "unit" || last === "tens") break;
        current += TENS[t.text] ?? 0;
        last = "tens";
      } else if (t.text in SCALES) {
        const scale = SCALES[t.text] ?? 1;
        if (scale === 100) current = (current || 1) * 100;
        else {
          total += (current || 1) * scale;
          current = 0;
        }
        last = "scale";
      } else break;
      written.push(t.text);
      parts.push(t.figure ? normalizeFigure(t.text) : show(UNITS[t.text] ?? TENS[t.text] ?? SCALES[t.text] ?? 0));
    }
    out.push({ written: written.join(" "), value: show(total + current), parts, next: tokens[j]?.text ?? null });
    i = j;
  }
  return out;
}

/** Every value a text's numbers can be read as: each mention whole and each of its parts. */
export function numbersOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of numberMentions(text)) {
    out.add(m.value);
    for (const p of m.parts) out.add(p);
  }
  return out;
}
