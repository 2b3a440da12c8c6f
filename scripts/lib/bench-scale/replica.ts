import { appendFile, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { compose } from "../../../src/compose.js";
import { silentLogger } from "../../../src/log.js";
import { syntheticQuestions } from "../bench/questions.js";
import { articleSentences, wordnetTopics, wordnetVocabulary, writeSyntheticCorpus } from "../bench/synthetic-corpus.js";

/** Where one size's corpus and index live: `corpus/` and `index/` under one temporary folder. */
export interface ReplicaFolders {
  readonly corpusDir: string;
  readonly indexDir: string;
}

/** The folders of a size's work folder. */
export function replicaFolders(workDir: string): ReplicaFolders {
  return { corpusDir: join(workDir, "corpus"), indexDir: join(workDir, "index") };
}

/** What building one size cost (in a process of its own, so its memory does not count below). */
export interface BuildFigures {
  readonly passages: number;
  readonly articles: number;
  readonly buildSeconds: number;
  /** The live index version on disk: what each replica keeps in its own data volume (plus one previous version after a rebuild). */
  readonly indexBytes: number;
  /** Highest RSS of the building process: what a new replica's first start (an empty data volume) needs. */
  readonly buildPeakRssMB: number;
}

/**
 * Writes a synthetic corpus of `passages` (the seed article's sentence shapes with WordNet's
 * words, as `npm run bench` makes them) and builds its index with the default local embedder.
 */
export async function buildReplica(
  folders: ReplicaFolders,
  passages: number,
  seed: number,
  seedArticle: string,
): Promise<BuildFigures> {
  const written = await writeSyntheticCorpus(folders.corpusDir, {
    seed,
    passages,
    sentences: articleSentences("seed.md", await readFile(seedArticle, "utf8")),
    vocabulary: wordnetVocabulary(),
    topics: wordnetTopics(),
  });
  const started = performance.now();
  const { built } = await compose({ paths: folders, logger: silentLogger, index: "open-or-build" });
  const buildSeconds = (performance.now() - started) / 1000;
  if (!built) throw new Error("expected to build a fresh index");
  return {
    passages: built.index.manifest.passageCount,
    articles: written.articles,
    buildSeconds: round(buildSeconds, 2),
    indexBytes: await folderBytes(built.index.dir),
    buildPeakRssMB: peakRssMB(),
  };
}

/** A process's memory, in MB (10^6 bytes), after a full garbage collection when node allows one. */
export interface MemoryFigures {
  /** Resident set size: what the operating system (and a container's memory limit) counts. */
  readonly rssMB: number;
  /** Live JavaScript objects (passages' texts, postings maps, caches). */
  readonly heapUsedMB: number;
  /**
   * RSS less the JS heap V8 holds: native memory, chiefly hnswlib's graph and vectors (which V8
   * does not count as "external"), buffers, and node's own code.
   */
  readonly nativeMB: number;
}

/** How one replica serving an index of one size uses memory and CPU. */
export interface ServeFigures {
  /** Before the index is opened: node, the modules (discord.js included, as `npm start` loads it), nothing else. */
  readonly baseline: MemoryFigures;
  /** The index opened as `npm start` opens it, and its answerer made. */
  readonly opened: MemoryFigures;
  /** After answering the questions: steady state, the answerer's caches filled. */
  readonly serving: MemoryFigures;
  /** Highest RSS of the serving process before the reindex below. */
  readonly peakRssMB: number;
  /**
   * Highest RSS once one article was changed and the index rebuilt while it is served, as every
   * replica does when the shared corpus changes: the served index and the new one are both held.
   */
  readonly reindexPeakRssMB: number;
  readonly reindexSeconds: number;
  readonly openMs: number;
  readonly answers: {
    readonly count: number;
    readonly wallSeconds: number;
    /** CPU time (user and system) the answers took; answering runs on one thread. */
    readonly cpuSeconds: number;
    /** Answers per CPU second: what one core answers per second. */
    readonly perCoreSecond: number;
  };
}

/**
 * Opens the built index as `npm start` does (`open-or-serve`, default embedder), makes the
 * answerer, answers `questions` generated from the passages one after another, and reads the
 * process's memory at each step. Run in a fresh process so no build is counted.
 */
export async function serveReplica(folders: ReplicaFolders, questions: number, seed: number): Promise<ServeFigures> {
  // `npm start` loads discord.js before serving; its weight belongs to every replica's baseline.
  await import("discord.js");
  const baseline = memory();
  let started = performance.now();
  const { services } = await compose({ paths: folders, logger: silentLogger, index: "open-or-serve" });
  const answerer = services.answerer();
  const openMs = performance.now() - started;
  const opened = memory();

  const asked = syntheticQuestions(services.indexes.current.passages, questions, seed);
  for (const q of asked.slice(0, 20)) await answerer.answer(q); // the JIT and caches, as after a few minutes of use
  const cpu = process.cpuUsage();
  started = performance.now();
  for (const q of asked) await answerer.answer(q);
  const wallSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const serving = memory();
  const peakServing = peakRssMB();

  const { articles } = services.indexes.current.manifest;
  const changed = articles[Math.floor(articles.length / 2)];
  if (!changed) throw new Error("the corpus has no articles");
  await appendFile(
    join(folders.corpusDir, changed.source),
    "An editor added this paragraph after the article was published, to correct a date.\n",
  );
  started = performance.now();
  await services.indexes.rebuild();
  const reindexSeconds = (performance.now() - started) / 1000;
  return {
    baseline,
    opened,
    serving,
    peakRssMB: peakServing,
    reindexPeakRssMB: peakRssMB(),
    reindexSeconds: round(reindexSeconds, 2),
    openMs: round(openMs, 0),
    answers: {
      count: asked.length,
      wallSeconds: round(wallSeconds, 3),
      cpuSeconds: round(cpuSeconds, 3),
      perCoreSecond: round(asked.length / cpuSeconds, 1),
    },
  };
}

/** The memory now, after a full collection (the children run with --expose-gc), so garbage is not counted. */
function memory(): MemoryFigures {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (bytes: number) => round(bytes / 1e6, 1);
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), nativeMB: mb(m.rss - m.heapTotal) };
}

/** The process's highest RSS so far, in MB (node gives maxRSS in KiB). */
function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
