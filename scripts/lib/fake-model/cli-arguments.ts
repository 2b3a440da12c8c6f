import { parseCommandLine, UsageError, wholeNumberFlag } from "../command-line.js";
import { quotingReply } from "./quoting-reply.js";
import type { ChatReply, FailureReply, TextReply } from "./replies.js";

/** What `npm run fake-model` was asked to run. */
export interface FakeModelCliOptions {
  port: number;
  dimension: number;
  /** Every chat request's reply: text with pacing, the first passage quoted (`--reply quote`), or a failure. */
  chat: ChatReply;
  /** A failure for every embeddings request, or null to embed normally. */
  embeddingsFailure: FailureReply | null;
  /** Log each request on stderr. */
  log: boolean;
}

const FLAGS = {
  port: { type: "string" },
  dimension: { type: "string" },
  reply: { type: "string" },
  "delay-ms": { type: "string" },
  "first-delay-ms": { type: "string" },
  "chat-fail": { type: "string" },
  "embed-fail": { type: "string" },
  quiet: { type: "boolean" },
} as const;

/**
 * Reads `npm run fake-model` arguments; null for `--help`. Pure, so the script's handling of
 * its arguments is tested without starting a process.
 *
 * @throws UsageError for an unknown flag or a bad value.
 */
export function parseFakeModelArguments(args: readonly string[]): FakeModelCliOptions | null {
  const { help, values } = parseCommandLine(args, FLAGS, false);
  if (help) return null;
  const chatFailure = values["chat-fail"] === undefined ? null : parseFailure("chat-fail", values["chat-fail"]);
  const delayMs = wholeNumberFlag("delay-ms", values["delay-ms"], 0, 60_000);
  const firstDelayMs = wholeNumberFlag("first-delay-ms", values["first-delay-ms"], 0, 600_000);
  const pacing = {
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(firstDelayMs === undefined ? {} : { firstDelayMs }),
  };
  const text: ChatReply =
    values.reply === "quote"
      ? (request) => ({ ...quotingReply()(request), ...pacing })
      : ({ text: values.reply ?? "This is the fake model's reply [1].", ...pacing } satisfies TextReply);
  return {
    port: wholeNumberFlag("port", values.port, 0, 65_535) ?? 0,
    dimension: wholeNumberFlag("dimension", values.dimension, 1, 65_536) ?? 64,
    chat: chatFailure ?? text,
    embeddingsFailure: values["embed-fail"] === undefined ? null : parseFailure("embed-fail", values["embed-fail"]),
    log: values.quiet !== true,
  };
}

/**
 * A failure as written on the command line: `STATUS`, `429:SECONDS` (with Retry-After),
 * `hang` or `malformed`.
 */
export function parseFailure(flag: string, spec: string): FailureReply {
  if (spec === "hang") return { hang: true };
  if (spec === "malformed") return { malformed: true };
  const match = /^([1-5]\d\d)(?::(\d+))?$/.exec(spec);
  if (!match?.[1])
    throw new UsageError(
      `--${flag} must be a status (500), 429:SECONDS, hang or malformed, not "${spec}" (see --help)`,
    );
  const status = Number(match[1]);
  return match[2] === undefined ? { status } : { status, retryAfterSeconds: Number(match[2]) };
}
