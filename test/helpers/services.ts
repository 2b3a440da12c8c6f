import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Services } from "../../src/commands/services.js";
import { createEmbedder } from "../../src/embed/create-embedder.js";
import type { PassageEmbedder } from "../../src/embed/embedder.js";
import { IndexManager } from "../../src/index/index-manager.js";
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

/** Builds the stack with the default embedder (or `embedder`), indexing a copy of the seed corpus. */
export async function makeStack(options: { embedder?: PassageEmbedder } = {}): Promise<TestStack> {
  const root = await mkdtemp(join(tmpdir(), "passage-stack-"));
  const corpusDir = join(root, "corpus");
  const indexDir = join(root, "data", "index");
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
  const setup = createEmbedder();
  const embedder = options.embedder ?? setup.embedder;
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: "debug",
    write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const indexes = new IndexManager(corpusDir, indexDir, embedder);
  await indexes.openOrBuild();
  const services = new Services(indexes, embedder, setup.concepts, logger, "test");
  return { services, root, corpusDir, indexDir, logs, cleanup: () => rm(root, { recursive: true, force: true }) };
}
