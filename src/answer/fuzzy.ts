/**
 * Damerau–Levenshtein distance (optimal string alignment) with an early exit: returns
 * `max + 1` as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
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
 * Scans only words of similar length, so a 50,000-word vocabulary stays cheap.
 */
export class SpellingIndex {
  private readonly byLength = new Map<number, string[]>();

  constructor(vocabulary: Iterable<string>) {
    for (const word of vocabulary) {
      if (/\d/.test(word)) continue;
      let list = this.byLength.get(word.length);
      if (!list) this.byLength.set(word.length, (list = []));
      list.push(word);
    }
  }

  /** The closest vocabulary words within the allowed edits, best first (at most `limit`). */
  corrections(term: string, limit = 2): string[] {
    const max = allowedEdits(term.length);
    if (max === 0) return [];
    const found: { word: string; d: number }[] = [];
    for (let len = term.length - max; len <= term.length + max; len++) {
      for (const word of this.byLength.get(len) ?? []) {
        // Misspellings rarely change the first letter; checking it first skips most of the scan.
        if (word[0] !== term[0]) continue;
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
