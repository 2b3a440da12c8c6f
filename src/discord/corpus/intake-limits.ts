import { CONFIG_DEFAULTS } from "../../config.js";

/** How `/corpus add` takes articles in (CORPUS_MAX_BYTES, the fetch time limit, CORPUS_FETCH_ALLOW_PRIVATE). */
export interface CorpusIntake {
  readonly maxBytes: number;
  readonly fetchTimeoutMs: number;
  /** Whether links may point at private and loopback addresses (tests, intranets). */
  readonly allowPrivate: boolean;
}

/** The configuration's defaults (5 MB, 15 s) with the address rule on, for a bot given none. */
export const CORPUS_INTAKE_DEFAULTS = {
  maxBytes: CONFIG_DEFAULTS.corpusMaxBytes,
  fetchTimeoutMs: CONFIG_DEFAULTS.corpusFetchTimeoutMs,
  allowPrivate: false,
} as const satisfies Required<CorpusIntake>;
