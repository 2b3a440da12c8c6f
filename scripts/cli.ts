import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { config as loadDotenv } from "dotenv";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import { type Config, loadConfig } from "../src/config.js";
import { errorMessage } from "../src/errors.js";
import { silentLogger } from "../src/log.js";

/**
 * Shared start of every script: parse flags (printing `usage` for --help), load `.env`
 * quietly (dotenv's banner would pollute stdout) and validate the configuration. Bad input
 * exits 2 with a one-line reason.
 */
export function startScript<T extends NonNullable<ParseArgsConfig["options"]>>(
  usage: string,
  options: T,
  allowPositionals = true,
): {
  values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true }>>["values"];
  positionals: string[];
  config: Config;
} {
  const parsed = (() => {
    try {
      return parseArgs({
        options: { ...options, help: { type: "boolean", short: "h" } },
        allowPositionals,
        strict: true,
      });
    } catch (error) {
      fail(`${errorMessage(error)} (see --help)`);
    }
  })();
  if ((parsed.values as { help?: boolean }).help) {
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
  return { values: parsed.values as never, positionals: parsed.positionals, config };
}

/** Prints a one-line reason on stderr and exits non-zero. */
export function fail(reason: string, code = 2): never {
  process.stderr.write(`${reason}\n`);
  process.exit(code);
}

/**
 * Builds a fresh index of `corpusDir` in a temporary folder, runs `work` with it, and removes
 * the folder: for tools that measure the system and must not touch the user's data/.
 */
export async function withTemporaryIndex<T>(corpusDir: string, work: (services: Services) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "passage-tmp-index-"));
  try {
    const { services } = await compose({
      paths: { corpusDir, indexDir: join(dir, "index") },
      logger: silentLogger,
      index: "none",
    });
    await services.indexes.rebuild();
    return await work(services);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A Markdown table, columns padded to their widest cell: the first `leftColumns` columns
 * left-aligned, the rest right-aligned (numbers). The tables of eval and bench.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftColumns = 0,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const left = (i: number) => i < leftColumns;
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (left(i) ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
