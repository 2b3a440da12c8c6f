import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../src/errors.js";
import { DEFAULT_HNSW_PARAMS } from "../src/index/hnsw-params.js";
import { checkArguments, fail, startScript } from "./cli.js";
import { benchArguments } from "./lib/bench/arguments.js";
import { CHILD_ENV, measureHere, measureInChild } from "./lib/bench/children.js";
import { measureGeneration } from "./lib/bench/generation.js";
import type { BenchResult } from "./lib/bench/measure.js";
import { benchChart, benchTable, generationReport, parseBenchResults } from "./lib/bench/report.js";

const USAGE = `
Usage: npm run bench -- [--passages N | --sizes N,N,...] [--json] [options]

Builds synthetic corpora (the seed article's sentence shapes with WordNet words, from a seed)
through the real IndexManager and default embedder, then measures build time, peak memory,
index size, load time, retrieval and whole-answer latency over generated questions, HNSW's
recall@10 against exact search, and an incremental reindex after changing one article.
Each size runs in its own child process, so sizes do not share memory or caches. Corpora and
indexes go to a temporary folder; your corpus/ and data/ are not touched.

Then, with a model's stand-in (a loopback fake streaming a faithful answer word by word),
it measures what answering with a model adds: verification's cost per answer beside the
quoted answer's own time, and over Discord (the real client against a loopback fake) the time
from INTERACTION_CREATE to the deferral, to the first edit showing a verified sentence and to
the final edit, beside the model's own time to its first sentence read directly.

Options:
  --model                measure only answering with a model (the section above), not sizes;
                         --questions sets its questions (and up to 30 /ask), --seed their seed
  --passages N           measure one size and print its figures (with --json: one JSON object)
  --sizes LIST           the sizes of the growth series (default 1000,10000,30000,100000)
  --json                 JSON: one object per size, one per line
  --dimension D          embedder dimension (default: the embedder's own, 512)
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
    model: { type: "boolean" },
  },
  false,
);
const plan = checkArguments(() => benchArguments(values));
const SEED_ARTICLE = fileURLToPath(new URL("../corpus/blinken-china-visit.md", import.meta.url));
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

try {
  if (process.env[CHILD_ENV] === "1") {
    process.stdout.write(`${JSON.stringify(await measureHere(plan.passages ?? 1000, plan, SEED_ARTICLE, log))}\n`);
  } else {
    const results =
      plan.from !== undefined
        ? parseBenchResults(await readFile(plan.from, "utf8"))
        : values.model
          ? []
          : await measureSizes(plan.passages !== undefined ? [plan.passages] : plan.sizes);
    if (!plan.json && results.length > 0) process.stdout.write(`${benchTable(results)}\n`);
    // The model section is its own run; --json keeps to one size per line unless it is all that was asked.
    if (values.model || (!plan.json && plan.from === undefined)) {
      log("measuring answers with a model (loopback fake)…");
      const generation = await measureGeneration({
        questions: plan.questions,
        interactions: Math.min(30, plan.questions),
        seed: plan.seed,
      });
      process.stdout.write(plan.json ? `${JSON.stringify(generation)}\n` : `\n${generationReport(generation)}\n`);
    }
    if (plan.chart !== undefined) {
      await writeFile(plan.chart, benchChart(results));
      log(`chart written to ${plan.chart}`);
    }
  }
} catch (error) {
  fail(`Benchmark failed: ${errorMessage(error)}`, 1);
}

/** Measures each size in its own child process, printing JSON lines as they come if asked. */
async function measureSizes(sizes: readonly number[]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const n of sizes) {
    const result = await measureInChild(fileURLToPath(import.meta.url), n, plan);
    results.push(result);
    if (plan.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  return results;
}
