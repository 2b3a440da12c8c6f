import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * A cheap fingerprint of the corpus folder: every visible file's path, size and modification
 * time. Equal fingerprints mean nothing a reindex would read has changed, so watch mode can skip
 * the reindex a moderator's own change (already indexed) would otherwise set off.
 */
export async function corpusSignature(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path, `${prefix}${entry.name}/`);
      else if (entry.isFile()) {
        const s = await stat(path).catch(() => null);
        if (s) parts.push(`${prefix}${entry.name}\t${s.size}\t${s.mtimeMs}`);
      }
    }
  };
  await walk(dir, "");
  return parts.sort().join("\n");
}
