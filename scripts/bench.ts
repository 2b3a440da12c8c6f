import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../src/errors.js";
import { DEFAULT_HNSW_PARAMS, type HnswParams } from "../src/index/hnsw-params.js";
import { fail, markdownTable, startScript } from "./cli.js";
import { renderChart } from "./lib/bench/chart.js";
import { type BenchResult, measure } from "./lib/bench/measure.js";

const USAGE = `
Usage: npm run bench -- [--passages N | --sizes N,N,...] [--json] [options]

Builds synthetic corpora (the seed article's sentence shapes with WordNet words, from a seed)
through the real IndexManager and default embedder, then measures build time, peak memory,
index size, load time, retrieval and whole-answer latency over generated questions, HNSW's
recall@10 against exact search, and an incremental reindex after changing one article.
Each size runs in its own child process, so sizes do not share memory or caches. Corpora and
indexes go to a temporary folder; your corpus/ and data/ are not touched.

Options:
  --passages N           measure one size and print its figures (with --json: one JSON object)
  --sizes LIST           the sizes of the growth series (default 1000,10000,30000,100000)
  --json                 JSON: one object per size, one per line
  --dimension D          embedder dimension (default: the embedder's own, 1024)
  --m M                  HNSW links per node (default ${DEFAULT_HNSW_PARAMS.m})
  --ef-construction E    HNSW build candidate list (default ${DEFAULT_HNSW_PARAMS.efConstruction})
  --ef-search S          HNSW search candidate list (default ${DEFAULT_HNSW_PARAMS.efSearch})
  --questions Q          questions per size (default 300)
  --seed S               seed of the corpora and questions (default 1)
  --chart FILE           write an SVG chart of latency and build time against size
  --from FILE            read results (JSON Lines, as --json prints) instead of measuring
  -h, --help             show this help
`;

const { values } = startScript(
  USAGE,
  {
    passages: { type: "string" },
    sizes: { type: "string" },
    json: { type: "boolean" },
    dimension: { type: "string" },
    m: { type: "string" },
    "ef-construction": { type: "string" },
    "ef-search": { type: "string" },
    questions: { type: "string" },
    seed: { type: "string" },
    chart: { type: "string" },
    from: { type: "string" },
  },
  false,
);

/** Set in the child process that measures one size. */
const CHILD_ENV = "PASSAGE_BENCH_CHILD";
const SEED_ARTICLE = fileURLToPath(new URL("../corpus/blinken-china-visit.md", import.meta.url));

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    fail(`--${name} must be a whole number from ${min} to ${max}, not "${value}" (see --help)`);
  return n;
}

const passages = integer("passages", values.passages, 50, 2_000_000);
const dimension = integer("dimension", values.dimension, 8, 8192);
const hnsw: HnswParams = {
  m: integer("m", values.m, 2, 128) ?? DEFAULT_HNSW_PARAMS.m,
  efConstruction: integer("ef-construction", values["ef-construction"], 8, 4096) ?? DEFAULT_HNSW_PARAMS.efConstruction,
  efSearch: integer("ef-search", values["ef-search"], 1, 4096) ?? DEFAULT_HNSW_PARAMS.efSearch,
};
const questions = integer("questions", values.questions, 1, 100_000) ?? 300;
const seed = integer("seed", values.seed, 0, 2 ** 32 - 1) ?? 1;
const sizes =
  values.sizes === undefined
    ? [1000, 10_000, 30_000, 100_000]
    : values.sizes.split(",").map((s) => integer("sizes", s.trim(), 50, 2_000_000) ?? 0);
if (passages !== undefined && values.sizes !== undefined)
  fail("give either --passages or --sizes, not both (see --help)");
if (values.from !== undefined && (passages !== undefined || values.sizes !== undefined))
  fail("--from reads results; it takes no --passages or --sizes (see --help)");
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

try {
  if (process.env[CHILD_ENV] === "1") {
    process.stdout.write(`${JSON.stringify(await measureHere(passages ?? 1000))}\n`);
  } else {
    const results =
      values.from !== undefined
        ? await readResults(values.from)
        : await measureSizes(passages !== undefined ? [passages] : sizes);
    if (!values.json) process.stdout.write(`${formatTable(results)}\n`);
    if (values.chart !== undefined) {
      await writeFile(values.chart, chart(results));
      log(`chart written to ${values.chart}`);
    }
  }
} catch (error) {
  fail(`Benchmark failed: ${errorMessage(error)}`, 1);
}

async function measureHere(n: number): Promise<BenchResult> {
  const workDir = await mkdtemp(join(tmpdir(), "passage-bench-"));
  try {
    return await measure({
      passages: n,
      seed,
      hnsw,
      questions,
      workDir,
      seedArticle: SEED_ARTICLE,
      log: (l) => log(`[${n}] ${l}`),
      ...(dimension !== undefined ? { dimension } : {}),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Runs each size in a fresh child process (with --expose-gc), printing JSON lines as they come if asked. */
async function measureSizes(list: readonly number[]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const n of list) {
    const result = await runChild(n);
    results.push(result);
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  return results;
}

function runChild(n: number): Promise<BenchResult> {
  const script = fileURLToPath(import.meta.url);
  const args = [
    ...process.execArgv,
    "--expose-gc",
    script,
    "--passages",
    String(n),
    "--m",
    String(hnsw.m),
    "--ef-construction",
    String(hnsw.efConstruction),
    "--ef-search",
    String(hnsw.efSearch),
    "--questions",
    String(questions),
    "--seed",
    String(seed),
  ];
  if (dimension !== undefined) args.push("--dimension", String(dimension));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, [CHILD_ENV]: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`measuring ${n} passages failed (exit code ${code})`));
      try {
        resolve(JSON.parse(out) as BenchResult);
      } catch (error) {
        reject(new Error(`measuring ${n} passages printed no JSON (${errorMessage(error)})`));
      }
    });
  });
}

async function readResults(file: string): Promise<BenchResult[]> {
  const lines = (await readFile(file, "utf8")).split("\n").filter((l) => l.trim().length > 0);
  return lines.map((l) => JSON.parse(l) as BenchResult);
}

function formatTable(results: readonly BenchResult[]): string {
  const header = [
    "passages",
    "build s",
    "passages/s",
    "peak RSS MB",
    "index MB",
    "load ms",
    "answerer ms",
    "retrieval p50/p95 ms",
    "answer p50/p95 ms",
    "HNSW p95 ms",
    "exact p95 ms",
    "recall@10",
    "reindex 1 article: bot s (of full)",
    "from disk s (of full)",
  ];
  const rows = results.map((r) => [
    String(r.passages),
    r.buildSeconds.toFixed(1),
    String(r.passagesPerSecond),
    String(r.peakRssMB),
    (r.indexBytes / 1e6).toFixed(0),
    r.loadMs.toFixed(0),
    r.answererMs.toFixed(0),
    `${r.retrieval.p50Ms.toFixed(2)} / ${r.retrieval.p95Ms.toFixed(2)}`,
    `${r.answer.p50Ms.toFixed(2)} / ${r.answer.p95Ms.toFixed(2)}`,
    r.dense.p95Ms.toFixed(2),
    r.exact.p95Ms.toFixed(2),
    r.recallAt10.toFixed(3),
    `${r.incremental.seconds.toFixed(2)} (${(r.incremental.ratio * 100).toFixed(1)} %)`,
    r.incremental.fromDisk
      ? `${r.incremental.fromDisk.seconds.toFixed(2)} (${(r.incremental.fromDisk.ratio * 100).toFixed(1)} %)`
      : "–",
  ]);
  const first = results[0];
  const setup = first
    ? `embedder ${first.embedder}; HNSW M ${first.hnsw.m}, efConstruction ${first.hnsw.efConstruction}, efSearch ${first.hnsw.efSearch}; ${first.questions} questions per size`
    : "no results";
  return [setup, "", markdownTable(header, rows)].join("\n");
}

function chart(results: readonly BenchResult[]): string {
  const by = (f: (r: BenchResult) => number) => results.map((r) => [r.passages, f(r)] as const);
  const sizes = results.map((r) => r.passages);
  const flat = (y: number) => [[Math.min(...sizes), y] as const, [Math.max(...sizes), y] as const];
  const first = results[0];
  return renderChart(
    [
      {
        title: "Latency per question (p95)",
        yLabel: "milliseconds",
        series: [
          { name: "whole answer", color: "#d62728", points: by((r) => r.answer.p95Ms) },
          { name: "retrieval", color: "#1f77b4", points: by((r) => r.retrieval.p95Ms) },
          { name: "HNSW search", color: "#2ca02c", points: by((r) => r.dense.p95Ms) },
          { name: "exact search", color: "#7f7f7f", points: by((r) => r.exact.p95Ms) },
          { name: "answer target (20 ms)", color: "#d62728", dashed: true, points: flat(20) },
          { name: "retrieval target (5 ms)", color: "#1f77b4", dashed: true, points: flat(5) },
        ],
      },
      {
        title: "Build time",
        yLabel: "seconds",
        series: [
          { name: "full build", color: "#9467bd", points: by((r) => r.buildSeconds) },
          {
            name: "reindex after one article changed (running bot)",
            color: "#ff7f0e",
            points: by((r) => r.incremental.seconds),
          },
          {
            name: "same, npm run reindex (reads the index from disk)",
            color: "#8c564b",
            points: by((r) => r.incremental.fromDisk?.seconds ?? r.incremental.seconds),
          },
          { name: "target: 1,000 passages/s", color: "#9467bd", dashed: true, points: by((r) => r.passages / 1000) },
        ],
      },
    ],
    first
      ? `npm run bench · ${first.embedder.split("-").slice(0, 2).join("-")} · HNSW M ${first.hnsw.m}, efC ${first.hnsw.efConstruction}, ef ${first.hnsw.efSearch} · 2-core machine`
      : "npm run bench",
  );
}
