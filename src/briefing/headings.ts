import { stem as stemOf } from "../text/analyze.js";
import { STOP_WORDS } from "../text/stopwords.js";
import { type StemWeights, weightedCosine } from "./salience.js";

/** A chosen point as grouping sees it: its text, where it sits in the corpus, its salient stems. */
export interface GroupablePoint {
  readonly text: string;
  /** Sort key for article order: the passage's position in the index, then the offset in it. */
  readonly position: number;
  readonly offset: number;
  /** Salience of the point's stems that may name a heading (topic, title and ubiquitous stems left out). */
  readonly weights: StemWeights;
}

/** How points are grouped and headings worded. */
export interface HeadingOptions {
  /** Two groups merge while their points' average stem similarity is at least this. */
  readonly groupSimilarity: number;
  /** A second word joins a heading ("Russia and Ukraine") when it scores at least this share of the first. */
  readonly secondWordRatio: number;
}

/** Points grouped under a heading, in article order; groups in the order of their first point. */
export interface PointGroup {
  readonly heading: string;
  /** Indexes into the points given. */
  readonly members: readonly number[];
}

/**
 * Groups points that share salient words (average-linkage clustering over their stem vectors)
 * and names each group after the words its points share most — or, for a point alone, its own
 * most salient words — written as the article writes them ("Taiwan", "Xi Jinping", "fentanyl").
 * Groups come in the order of their first point in the corpus, points in article order within.
 */
export function groupPoints(points: readonly GroupablePoint[], options: HeadingOptions): PointGroup[] {
  let clusters = points.map((_, i) => [i]);
  for (;;) {
    let best = -1;
    let a = -1;
    let b = -1;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const s = averageSimilarity(clusters[i] ?? [], clusters[j] ?? [], points);
        if (s > best) [best, a, b] = [s, i, j];
      }
    }
    if (best < options.groupSimilarity || a < 0) break;
    clusters = clusters.map((c, i) => (i === a ? [...c, ...(clusters[b] ?? [])] : c)).filter((_, i) => i !== b);
  }
  const order = (i: number) => [points[i]?.position ?? 0, points[i]?.offset ?? 0] as const;
  const before = (x: number, y: number) => {
    const [px, ox] = order(x);
    const [py, oy] = order(y);
    return px - py || ox - oy;
  };
  return clusters
    .map((members) => [...members].sort(before))
    .sort((x, y) => before(x[0] ?? 0, y[0] ?? 0))
    .map((members) => ({
      heading: headingFor(
        members.map((i) => points[i]).filter((p): p is GroupablePoint => p !== undefined),
        options,
      ),
      members,
    }));
}

function averageSimilarity(x: readonly number[], y: readonly number[], points: readonly GroupablePoint[]): number {
  let sum = 0;
  for (const i of x)
    for (const j of y) sum += weightedCosine(points[i]?.weights ?? new Map(), points[j]?.weights ?? new Map());
  return sum / (x.length * y.length || 1);
}

/**
 * The heading of a group: its best word among those most of its points share (by summed
 * salience, names counting half again), and for a group a second shared word when nearly as
 * strong ("Russia and Ukraine"). A point alone is named by its own best word.
 */
export function headingFor(members: readonly GroupablePoint[], options: HeadingOptions): string {
  const texts = members.map((p) => p.text);
  const score = new Map<string, { sum: number; count: number; form: string }>();
  for (const p of members) {
    for (const [s, w] of p.weights) {
      const e = score.get(s) ?? { sum: 0, count: 0, form: displayForm(s, texts) };
      e.sum += w * (isCapitalised(e.form) ? NAME_FACTOR : 1);
      e.count++;
      score.set(s, e);
    }
  }
  const ranked = [...score.values()].sort((x, y) => y.count - x.count || y.sum - x.sum || x.form.localeCompare(y.form));
  const first = ranked[0];
  if (!first) return "Other points";
  const words = [first.form];
  const second = ranked[1];
  if (
    members.length > 1 &&
    second &&
    second.count === first.count &&
    second.sum >= options.secondWordRatio * first.sum
  ) {
    // "President Biden" already holds "Biden".
    const held = new Set(first.form.toLowerCase().split(" "));
    if (
      !second.form
        .toLowerCase()
        .split(" ")
        .some((w) => held.has(w))
    )
      words.push(second.form);
  }
  const heading = words.join(" and ");
  return heading.charAt(0).toUpperCase() + heading.slice(1);
}

/** A name ("Taiwan", "Micron") tells a reader more about a group than a common noun of equal salience. */
const NAME_FACTOR = 1.5;

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * How the texts write a stem: the first word with that stem, capitalised only if the texts
 * capitalise it in mid-sentence (a name), extended over the capitalised words around it, up to
 * three ("Xi" → "Xi Jinping", "War" → "Cold War", "Sea" → "South China Sea").
 */
export function displayForm(stem: string, texts: readonly string[]): string {
  let plain: string | null = null;
  for (const text of texts) {
    const tokens = [...text.matchAll(TOKEN)].map((m) => ({ word: m[0].replace(/['’]s$/i, ""), index: m.index }));
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!t || stemOf(t.word.toLowerCase()) !== stem) continue;
      const initial = (k: number) => k === 0 || /[.!?]["'”’)]*\s*$/.test(text.slice(0, tokens[k]?.index ?? 0));
      if (isCapitalised(t.word) && !initial(i)) {
        // Extend over the capitalised words around it, within the sentence: "South China Sea".
        const joins = (j: number) => {
          const a = tokens[j];
          const b = tokens[j + 1];
          return (
            a &&
            b &&
            /^ +$/.test(text.slice(a.index + a.word.length, b.index)) &&
            isCapitalised(a.word) &&
            isCapitalised(b.word) &&
            !STOP_WORDS.has(a.word.toLowerCase()) &&
            !STOP_WORDS.has(b.word.toLowerCase())
          );
        };
        let from = i;
        let to = i;
        while (to - from < 2 && joins(to)) to++;
        while (to - from < 2 && from > 0 && joins(from - 1) && !initial(from - 1)) from--;
        // "Mr Qin" is headed "Qin".
        while (from < to && HONORIFICS.has(tokens[from]?.word.toLowerCase() ?? "")) from++;
        return tokens
          .slice(from, to + 1)
          .map((x) => x.word)
          .join(" ");
      }
      // The shortest form reads best as a heading: "technology" rather than "technologies".
      const lower = t.word.toLowerCase();
      if (plain === null || lower.length < plain.length) plain = lower;
    }
  }
  return plain ?? stem;
}

const HONORIFICS = new Set(["mr", "mrs", "ms", "dr", "prof", "sir"]);

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}
