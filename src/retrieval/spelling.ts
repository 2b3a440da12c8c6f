/** Rows of the distance table, reused by every call (grown when a longer word comes). */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/**
 * Damerau–Levenshtein distance (optimal string alignment) with an early exit: returns
 * `max + 1` as soon as the distance must exceed `max`. Allocates nothing: the spelling index
 * calls it for thousands of words per question.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (rows[0].length <= b.length)
    rows = [new Int32Array(b.length * 2), new Int32Array(b.length * 2), new Int32Array(b.length * 2)];
  let [prevPrev, prev, cur] = rows;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[b.length] ?? max + 1;
}

/** How many edits a word of this length may need to count as a misspelling: none for short words. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}

/**
 * Vocabulary terms a misspelt term may stand for, nearest first ("blinkin" → "blinken").
 * Misspellings rarely change the first letter, so words are kept by first letter and length
 * and only those of similar length with the term's first letter are compared: at 100,000
 * passages (a vocabulary of 48,716 words) the slowest 5 % of questions took 1.9 ms to
 * correct when every word of similar length was looked at.
 */
export class SpellingIndex {
  private readonly buckets = new Map<string, string[]>();

  constructor(vocabulary: Iterable<string>) {
    for (const word of vocabulary) {
      if (/\d/.test(word)) continue;
      const key = bucket(word[0] ?? "", word.length);
      let list = this.buckets.get(key);
      if (!list) {
        list = [];
        this.buckets.set(key, list);
      }
      list.push(word);
    }
  }

  /**
   * Whether some longer vocabulary word begins with `prefix` (of four letters or more): "america"
   * is in "americans". Looks only at words of the prefix's first letter.
   */
  hasWordStartingWith(prefix: string): boolean {
    if (prefix.length < 4) return false;
    for (let len = prefix.length + 1; len <= prefix.length + MAX_SUFFIX; len++) {
      for (const word of this.buckets.get(bucket(prefix[0] ?? "", len)) ?? []) if (word.startsWith(prefix)) return true;
    }
    return false;
  }

  /**
   * The closest vocabulary words within the allowed edits (by default as many as a misspelling of
   * the term's length may need), best first (at most `limit`).
   */
  corrections(term: string, limit = 2, max = allowedEdits(term.length)): string[] {
    if (max === 0) return [];
    const found: { word: string; d: number }[] = [];
    for (let len = term.length - max; len <= term.length + max; len++) {
      for (const word of this.buckets.get(bucket(term[0] ?? "", len)) ?? []) {
        const d = editDistance(term, word, max);
        if (d <= max) found.push({ word, d });
      }
    }
    return found
      .sort((x, y) => x.d - y.d || x.word.localeCompare(y.word))
      .slice(0, limit)
      .map((f) => f.word);
  }
}

/** Longest ending `hasWordStartingWith` looks past ("-ians", "-ness"…). */
const MAX_SUFFIX = 4;

function bucket(first: string, length: number): string {
  return `${first}${length}`;
}
