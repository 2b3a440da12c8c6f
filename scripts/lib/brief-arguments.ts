import { BRIEFING_POINTS } from "../../src/briefing/briefer.js";
import { UsageError } from "./command-line.js";

/** What `npm run brief` was asked to do. */
export interface BriefArguments {
  /** The topic, from the positional words; blank for the whole corpus. */
  readonly topic: string;
  /** How many points; null for the default. */
  readonly points: number | null;
  /** Where to write the Markdown document, if anywhere. */
  readonly out: string | null;
  readonly json: boolean;
}

/**
 * Reads `npm run brief`'s flags and words. A --points outside the briefing's range or an
 * empty --out is a `UsageError`; the topic is checked by the brief command itself.
 */
export function briefArguments(
  values: {
    readonly points?: string | undefined;
    readonly out?: string | undefined;
    readonly json?: boolean | undefined;
  },
  positionals: readonly string[],
): BriefArguments {
  let points: number | null = null;
  if (values.points !== undefined) {
    points = /^\d+$/.test(values.points) ? Number(values.points) : Number.NaN;
    if (!(points >= BRIEFING_POINTS.min && points <= BRIEFING_POINTS.max))
      throw new UsageError(
        `--points must be a whole number from ${BRIEFING_POINTS.min} to ${BRIEFING_POINTS.max} (got "${values.points}")`,
      );
  }
  if (values.out !== undefined && values.out.trim() === "")
    throw new UsageError("--out needs a file name, e.g. --out briefing.md");
  return { topic: positionals.join(" "), points, out: values.out ?? null, json: values.json === true };
}
