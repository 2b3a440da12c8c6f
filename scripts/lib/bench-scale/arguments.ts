import { UsageError, wholeNumberFlag } from "../command-line.js";

/** What `npm run bench:scale` was asked to measure, or to read. */
export interface ScalePlan {
  /** Corpus sizes in passages, smallest first. */
  readonly sizes: readonly number[];
  /** Questions answered per size for the answers-per-second figure. */
  readonly questions: number;
  readonly seed: number;
  readonly json: boolean;
  /** Results to read instead of measuring (JSON Lines, as --json prints). */
  readonly from?: string;
}

/** The sizes measured when --sizes is not given: enough for a line, under ten minutes on two cores. */
export const DEFAULT_SCALE_SIZES: readonly number[] = [5000, 20_000, 50_000];

/** Reads `npm run bench:scale`'s flags; a bad number, too few sizes or conflicting flags are a `UsageError`. */
export function scaleArguments(values: {
  readonly sizes?: string | undefined;
  readonly questions?: string | undefined;
  readonly seed?: string | undefined;
  readonly from?: string | undefined;
  readonly json?: boolean | undefined;
}): ScalePlan {
  const sizes =
    values.sizes === undefined
      ? DEFAULT_SCALE_SIZES
      : values.sizes.split(",").map((s) => wholeNumberFlag("sizes", s.trim(), 100, 2_000_000) ?? 0);
  if (new Set(sizes).size < 2)
    throw new UsageError("--sizes needs at least two different sizes to fit a line (see --help)");
  if (values.from !== undefined && values.sizes !== undefined)
    throw new UsageError("--from reads results; it takes no --sizes (see --help)");
  return {
    sizes: [...sizes].sort((a, b) => a - b),
    questions: wholeNumberFlag("questions", values.questions, 10, 100_000) ?? 300,
    seed: wholeNumberFlag("seed", values.seed, 0, 2 ** 32 - 1) ?? 1,
    json: values.json === true,
    ...(values.from !== undefined ? { from: values.from } : {}),
  };
}
