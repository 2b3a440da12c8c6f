import { liveVersionDir } from "../../src/index/index-versions.js";

/** The folder holding the live index under `indexDir` (the version CURRENT names); throws when there is none. */
export function live(indexDir: string): string {
  const dir = liveVersionDir(indexDir);
  if (!dir) throw new Error(`There is no live index under ${indexDir}.`);
  return dir;
}
