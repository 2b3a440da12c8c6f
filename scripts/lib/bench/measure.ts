import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Services } from "../../../src/commands/services.js";
import { type Composition, compose, type IndexStart } from "../../../src/compose.js";
import type { ConceptSource } from "../../../src/embed/concept-source.js";
import { createEmbedder } from "../../../src/embed/create-embedder.js";
import type { PassageEmbedder } from "../../../src/embed/embedder.js";
import { LocalEmbeddings } from "../../../src/embed/local-embeddings.js";
import { WordNet } from "../../../src/embed/wordnet/wordnet.js";
import { ExactSearch } from "../../../src/index/exact-search.js";
import type { HnswParams } from "../../../src/index/hnsw-params.js";
import { liveOrRoot } from "../../../src/index/index-versions.js";
import type { Manifest } from "../../../src/index/manifest.js";
import { silentLogger } from "../../../src/log.js";
import { type Percentiles, percentiles, recallAtK } from "../stats.js";
import { syntheticQuestions } from "./questions.js";
import { articleSentences, wordnetTopics, wordnetVocabulary, writeSyntheticCorpus } from "./synthetic-corpus.js";

/** What to measure: one corpus size, with one embedder dimension and HNSW parameters. */
export interface BenchOptions {
  readonly passages: number;
  readonly seed: number;
  /** Embedder dimension; the default embedder's (createEmbedder) when absent. */
  readonly dimension?: number;
  readonly hnsw: HnswParams;
  readonly questions: number;
  /** An empty folder to write the corpus and the index into. */
  readonly workDir: string;
  /** The seed article's file, whose sentences the corpus recombines. */
  readonly seedArticle: string;
  /** Progress lines (to stderr). */
  readonly log: (line: string) => void;
}

/** The figures of one size (the JSON `npm run bench -- --json` prints). */
export interface BenchResult {
  readonly passages: number;
  readonly articles: number;
  readonly dimension: number;
  readonly embedder: string;
  readonly hnsw: HnswParams;
  /** Wall time of a full build through IndexManager: reading, embedding, linking, writing, verifying. */
  readonly buildSeconds: number;
  readonly passagesPerSecond: number;
  /** Longest and 99th-percentile event-loop delay during the full build: how long a question could wait. */
  readonly buildEventLoopMs: { readonly p99: number; readonly max: number };
  /** Highest resident set size of this process through build, load and answering (the exact-search baseline and the incremental build come after). */
  readonly peakRssMB: number;
  readonly indexBytes: number;
  /** Opening the index from disk: checks, passages, BM25 postings, graph. */
  readonly loadMs: number;
  /** Constructing the Answerer for an index (its spelling and concept indexes). */
  readonly answererMs: number;
  /** Retriever.retrieve: hybrid retrieval, question analysis included. */
  readonly retrieval: Percentiles;
  /** Answerer.answer: retrieval and the extractive answer. */
  readonly answer: Percentiles;
  /** HNSW search alone (top 10, query vector given). */
  readonly dense: Percentiles;
  /** Exact brute-force search (top 10): the baseline HNSW replaces. */
  readonly exact: Percentiles;
  /** HNSW's top 10 against exact search's, over the same vectors, averaged over the questions. */
  readonly recallAt10: number;
  readonly incremental: {
    /** Passages of the article that was changed. */
    readonly changedArticlePassages: number;
    /** Passages the incremental build embedded (the changed and added ones). */
    readonly embedded: number;
    readonly kind: "full" | "incremental";
    /** Reindex in a running bot (the served index open, as /reindex finds it). */
    readonly seconds: number;
    readonly fullSeconds: number;
    readonly ratio: number;
    /** The same change by `npm run reindex` in a fresh process, which reads the previous index from disk. */
    readonly fromDisk: { readonly kind: "full" | "incremental"; readonly seconds: number; readonly ratio: number };
  };
  readonly questions: number;
}

/**
 * Measures one size: writes a synthetic corpus, builds it through the real IndexManager with
 * the real embedder, opens the index as a start-up would, answers generated questions, compares
 * HNSW with exact search, then changes one article and reindexes.
 */
export async function measure(options: BenchOptions): Promise<BenchResult> {
  const { log } = options;
  const corpusDir = join(options.workDir, "corpus");
  const indexDir = join(options.workDir, "index");
  const sentences = articleSentences("seed.md", await readFile(options.seedArticle, "utf8"));
  const written = await writeSyntheticCorpus(corpusDir, {
    seed: options.seed,
    passages: options.passages,
    sentences,
    vocabulary: wordnetVocabulary(),
    topics: wordnetTopics(),
  });
  log(`${options.passages} passages in ${written.articles} articles written`);

  const embedding = embedderFor(options.dimension);
  const { embedder } = embedding;
  // Every index below is assembled as the program assembles it, with the measured parameters.
  const assemble = (index: IndexStart) =>
    compose({ paths: { corpusDir, indexDir }, logger: silentLogger, index, embedding, hnsw: options.hnsw });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let started = performance.now();
  const built = await assemble("open-or-build");
  const buildSeconds = (performance.now() - started) / 1000;
  delay.disable();
  if (!built.built) throw new Error("the benchmark expected to build a fresh index");
  log(`built in ${buildSeconds.toFixed(1)} s`);
  collectGarbage();

  const served = await measureServing(() => assemble("open"), embedder, options);
  collectGarbage();

  // /reindex in a running bot: the index being served is open when an editor changes an article.
  let server: Services | null = (await assemble("open")).services;
  const changed = await changeOneArticle(served.manifest, corpusDir, 0);
  started = performance.now();
  const again = await server.indexes.rebuild();
  const incrementalSeconds = (performance.now() - started) / 1000;
  log(
    `changed one article (${changed.passages} passages): ${again.kind} reindex in the running bot in ${incrementalSeconds.toFixed(2)} s`,
  );
  // `npm run reindex` in a fresh process: the previous index is read from disk first.
  server = null;
  collectGarbage();
  await changeOneArticle(served.manifest, corpusDir, 1);
  started = performance.now();
  const cold = await (await assemble("none")).services.indexes.rebuild();
  const coldSeconds = (performance.now() - started) / 1000;
  log(`changed another: ${cold.kind} reindex from disk in ${coldSeconds.toFixed(2)} s`);

  const { loadMs, answererMs, retrieval, answer, dense, exact, recallAt10, peakRssMB } = served;
  return {
    passages: served.manifest.passageCount,
    articles: served.manifest.articleCount,
    dimension: embedder.dimension,
    embedder: embedder.id,
    hnsw: options.hnsw,
    buildSeconds: round(buildSeconds, 2),
    passagesPerSecond: Math.round(served.manifest.passageCount / buildSeconds),
    buildEventLoopMs: { p99: round(delay.percentile(99) / 1e6, 1), max: round(delay.max / 1e6, 1) },
    peakRssMB,
    indexBytes: await folderBytes(liveOrRoot(indexDir)),
    loadMs: round(loadMs, 1),
    answererMs: round(answererMs, 1),
    retrieval,
    answer,
    dense,
    exact,
    recallAt10: round(recallAt10, 4),
    incremental: {
      changedArticlePassages: changed.passages,
      embedded: again.embedded,
      kind: again.kind,
      seconds: round(incrementalSeconds, 3),
      fullSeconds: round(buildSeconds, 2),
      ratio: round(incrementalSeconds / buildSeconds, 4),
      fromDisk: { kind: cold.kind, seconds: round(coldSeconds, 3), ratio: round(coldSeconds / buildSeconds, 4) },
    },
    questions: served.questions,
  };
}

/**
 * Opens the built index as a start-up would and answers the generated questions with it. Only
 * figures are returned: the index, answerer and exact search are free to go once it returns.
 */
async function measureServing(load: () => Promise<Composition>, embedder: PassageEmbedder, options: BenchOptions) {
  const { log } = options;
  let started = performance.now();
  const { services } = await load();
  const loadMs = performance.now() - started;
  started = performance.now();
  const answerer = services.answerer();
  const answererMs = performance.now() - started;
  const open = services.indexes.current;
  log(`loaded in ${loadMs.toFixed(0)} ms, answerer ready in ${answererMs.toFixed(0)} ms`);

  const questions = syntheticQuestions(open.passages, options.questions, options.seed);
  for (const q of questions.slice(0, 20)) await answerer.answer(q); // warm caches and the JIT
  const retrieval = await timeEach(questions, (q) => answerer.retriever.retrieve(q));
  const answer = await timeEach(questions, (q) => answerer.answer(q));
  const vectors = await Promise.all(questions.map((q) => embedder.embedQuery(q)));
  const denseHits: number[][] = [];
  const dense = await timeEach(vectors, (v) => denseHits.push(open.dense.search(v, 10).map((h) => h.index)));
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);

  const exactSearch = ExactSearch.of(open.dense);
  const exactHits: number[][] = [];
  const exact = await timeEach(vectors, (v) => exactHits.push(exactSearch.search(v, 10).map((h) => h.index)));
  const recallAt10 = recallAtK(denseHits, exactHits, 10);
  log(`answered ${questions.length} questions; recall@10 ${recallAt10.toFixed(3)}`);
  const manifest = open.manifest;
  return {
    manifest,
    loadMs,
    answererMs,
    retrieval,
    answer,
    dense,
    exact,
    recallAt10,
    peakRssMB,
    questions: questions.length,
  };
}

/** The default embedder, or the same one at another dimension. */
function embedderFor(dimension: number | undefined): { embedder: PassageEmbedder; concepts: ConceptSource | null } {
  if (dimension === undefined) return createEmbedder();
  const concepts = WordNet.open();
  return { embedder: new LocalEmbeddings({ dimension }, concepts), concepts };
}

/**
 * Rewrites one paragraph of the `nth` article after the middle of the corpus and adds one, as an editor
 * fixing an article would. Returns the article's passage count.
 */
async function changeOneArticle(
  manifest: Manifest,
  corpusDir: string,
  nth: number,
): Promise<{ source: string; passages: number }> {
  const articles = manifest.articles;
  const article = articles[Math.floor(articles.length / 2) + nth];
  if (!article) throw new Error("the corpus has no articles");
  const file = join(corpusDir, article.source);
  const lines = (await readFile(file, "utf8")).split("\n");
  const body = lines.findIndex((l, i) => i > 0 && l === "---") + 1;
  lines[body + 1] = "An editor corrected this paragraph: the delegation arrived on Tuesday, not Monday.";
  lines.splice(body + 2, 0, "A paragraph added later explains the correction and thanks the readers who reported it.");
  await writeFile(file, lines.join("\n"));
  return { source: article.source, passages: article.passages };
}

async function timeEach<T>(items: readonly T[], work: (item: T) => unknown): Promise<Percentiles> {
  const times: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await work(item);
    times.push(performance.now() - t);
  }
  return percentiles(times);
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

/** Frees the built index before the load is measured, when node runs with --expose-gc (the benchmark's children do). */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
