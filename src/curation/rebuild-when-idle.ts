import { setTimeout as sleep } from "node:timers/promises";
import { hasCode } from "../errors.js";
import type { BuildProgress, BuildResult } from "../index/build-index.js";
import type { IndexManager } from "../index/index-manager.js";

/** How often to look whether a running reindex (a moderator's /reindex) has finished. */
const POLL_MS = 50;

/** Resolves once no reindex is running. */
export async function whenIndexIdle(indexes: IndexManager): Promise<void> {
  while (indexes.rebuilding) await sleep(POLL_MS);
}

/**
 * Rebuilds the index, first waiting for any reindex already running (IndexManager refuses a
 * second one rather than queueing it; a corpus change must not be refused for that).
 */
export async function rebuildWhenIdle(
  indexes: IndexManager,
  onProgress?: (p: BuildProgress) => void,
): Promise<BuildResult> {
  for (;;) {
    await whenIndexIdle(indexes);
    try {
      return await indexes.rebuild(onProgress);
    } catch (error) {
      // Another reindex started between the look and the call: wait for that one too.
      if (!hasCode(error, "REINDEX_RUNNING")) throw error;
    }
  }
}
