import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { config as loadDotenv } from "dotenv";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import { type Config, loadConfig } from "../src/config.js";
import { errorMessage } from "../src/errors.js";
import { silentLogger } from "../src/log.js";
import { type Flags, type FlagValues, parseCommandLine, UsageError } from "./lib/command-line.js";

/**
 * Shared start of every script: parse flags (printing `usage` for --help), load `.env`
 * quietly (dotenv's banner would pollute stdout) and validate the configuration. Bad input
 * exits 2 with a one-line reason.
 */
export function startScript<T extends Flags>(
  usage: string,
  flags: T,
  allowPositionals = true,
): { values: FlagValues<T>; positionals: string[]; config: Config } {
  const { help, values, positionals } = checkArguments(() =>
    parseCommandLine(process.argv.slice(2), flags, allowPositionals),
  );
  if (help) {
    process.stdout.write(`${usage.trim()}\n`);
    process.exit(0);
  }
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(errorMessage(error));
  }
  return { values, positionals, config };
}

/**
 * The answer log for a script that answers questions (`npm run ask`): on, kept for
 * FEEDBACK_RETENTION_DAYS, unless `--no-log` was given.
 */
export function answerLogSettings(config: Config, noLog: boolean | undefined): { retentionDays: number } | null {
  return noLog === true ? null : { retentionDays: config.feedbackRetentionDays };
}

/** Runs a check of the arguments; a `UsageError` exits 2 with its one-line reason. */
export function checkArguments<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof UsageError) fail(error.message);
    throw error;
  }
}

/** Prints a one-line reason on stderr and exits non-zero. */
export function fail(reason: string, code = 2): never {
  process.stderr.write(`${reason}\n`);
  process.exit(code);
}

/**
 * Builds a fresh index of `corpusDir` in a temporary folder, runs `work` with it, and removes
 * the folder: for tools that measure the system and must not touch the user's index. `models`
 * are the configured answer model and embedder (default: none and the local one).
 */
export async function withTemporaryIndex<T>(
  corpusDir: string,
  work: (services: Services) => Promise<T>,
  models: Partial<Pick<Config, "llm" | "embeddings" | "dataDir">> = {},
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "passage-tmp-index-"));
  try {
    const { dataDir, ...configured } = models;
    const { services } = await compose({
      // A remote embedder's vectors are cached in the user's data/embeddings, so a second run pays nothing.
      paths: { corpusDir, indexDir: join(dir, "index"), ...(dataDir ? { dataDir } : {}) },
      logger: silentLogger,
      index: "none",
      ...configured,
    });
    await services.indexes.rebuild();
    return await work(services);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
