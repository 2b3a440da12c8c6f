import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Services } from "../../src/commands/services.js";
import { type CompositionOverrides, compose } from "../../src/compose.js";
import type { LlmConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";

export const SEED_CORPUS = new URL("../../corpus", import.meta.url).pathname;

/** A real Passage stack over a copy of the corpus in a temporary folder, logging into an array. */
export interface TestStack {
  readonly services: Services;
  readonly root: string;
  readonly corpusDir: string;
  readonly indexDir: string;
  /** Every structured log line, parsed. */
  readonly logs: Record<string, unknown>[];
  cleanup(): Promise<void>;
}

/**
 * Assembles the program as production does (`compose`), indexing a copy of the seed corpus;
 * `overrides` replace parts (an embedder that fails, say) as they would for any caller.
 */
export async function makeStack(
  overrides: CompositionOverrides & { readonly llm?: LlmConfig | null } = {},
): Promise<TestStack> {
  const root = await mkdtemp(join(tmpdir(), "passage-stack-"));
  const corpusDir = join(root, "corpus");
  const indexDir = join(root, "data", "index");
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: "debug",
    write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const { services, store } = await compose({
    // A corpus manager as the bot has one (history and audit log under root/data).
    paths: { corpusDir, indexDir, dataDir: join(root, "data") },
    corpus: {},
    logger,
    index: "open-or-build",
    version: "test",
    ...overrides,
  });
  return {
    services,
    root,
    corpusDir,
    indexDir,
    logs,
    cleanup: async () => {
      services.corpus?.close();
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
