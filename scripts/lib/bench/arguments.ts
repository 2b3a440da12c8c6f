import { DEFAULT_HNSW_PARAMS, type HnswParams } from "../../../src/index/hnsw-params.js";
import { UsageError, wholeNumberFlag } from "../command-line.js";

/** What `npm run bench` was asked to measure, or to read. */
export interface BenchPlan {
  /** One size to measure (--passages); absent for the growth series. */
  readonly passages?: number;
  /** The growth series' sizes (--sizes, or the default series). */
  readonly sizes: readonly number[];
  /** Embedder dimension; the embedder's own when absent. */
  readonly dimension?: number;
  readonly hnsw: HnswParams;
  readonly questions: number;
  readonly seed: number;
  /** Results to read instead of measuring (JSON Lines, as --json prints). */
  readonly from?: string;
  /** Where to write the SVG chart. */
  readonly chart?: string;
  readonly json: boolean;
}

/** The sizes measured when neither --passages nor --sizes is given. */
export const DEFAULT_SIZES: readonly number[] = [1000, 10_000, 30_000, 100_000];

/** The flags of `npm run bench` that take a value. */
type ValueFlag =
  | "passages"
  | "sizes"
  | "dimension"
  | "m"
  | "ef-construction"
  | "ef-search"
  | "questions"
  | "seed"
  | "chart"
  | "from";

/** Reads `npm run bench`'s flags; a number out of range or flags that exclude each other are a `UsageError`. */
export function benchArguments(
  values: { readonly [F in ValueFlag]?: string | undefined } & { readonly json?: boolean | undefined },
): BenchPlan {
  const passages = wholeNumberFlag("passages", values.passages, 50, 2_000_000);
  const dimension = wholeNumberFlag("dimension", values.dimension, 8, 8192);
  const hnsw: HnswParams = {
    m: wholeNumberFlag("m", values.m, 2, 128) ?? DEFAULT_HNSW_PARAMS.m,
    efConstruction:
      wholeNumberFlag("ef-construction", values["ef-construction"], 8, 4096) ?? DEFAULT_HNSW_PARAMS.efConstruction,
    efSearch: wholeNumberFlag("ef-search", values["ef-search"], 1, 4096) ?? DEFAULT_HNSW_PARAMS.efSearch,
  };
  const questions = wholeNumberFlag("questions", values.questions, 1, 100_000) ?? 300;
  const seed = wholeNumberFlag("seed", values.seed, 0, 2 ** 32 - 1) ?? 1;
  const sizes =
    values.sizes === undefined
      ? DEFAULT_SIZES
      : values.sizes.split(",").map((s) => wholeNumberFlag("sizes", s.trim(), 50, 2_000_000) ?? 0);
  if (passages !== undefined && values.sizes !== undefined)
    throw new UsageError("give either --passages or --sizes, not both (see --help)");
  if (values.from !== undefined && (passages !== undefined || values.sizes !== undefined))
    throw new UsageError("--from reads results; it takes no --passages or --sizes (see --help)");
  return {
    sizes,
    hnsw,
    questions,
    seed,
    json: values.json === true,
    ...(passages !== undefined ? { passages } : {}),
    ...(dimension !== undefined ? { dimension } : {}),
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.chart !== undefined ? { chart: values.chart } : {}),
  };
}
