import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { previousDir } from "../passage-index.js";

/** Moves `buildDir` to `indexDir`, keeping the old index until the new one is in place. */
export async function swapIn(buildDir: string, indexDir: string): Promise<void> {
  const previous = previousDir(indexDir);
  await rm(previous, { recursive: true, force: true });
  if (existsSync(indexDir)) await rename(indexDir, previous);
  await rename(buildDir, indexDir);
  await rm(previous, { recursive: true, force: true });
}
