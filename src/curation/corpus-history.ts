import { cp, mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";

/** The folder inside the data directory where earlier versions of the corpus are kept. */
export const HISTORY_DIR = "corpus-history";

/** Snapshot folders are numbered so their names sort in the order they were taken. */
const SNAPSHOT_NAME = /^\d{8}$/;

/**
 * Earlier versions of the corpus folder, one full copy per change, the last `limit` kept. Hidden
 * entries (a `.git` folder, editors' temporary files) are neither copied nor restored: the
 * corpus may be a git checkout, and undo must not rewind its repository.
 */
export class CorpusHistory {
  constructor(
    private readonly corpusDir: string,
    readonly dir: string,
    private readonly limit: number,
  ) {}

  /** Copies the corpus as it is now into a new snapshot; returns its name. */
  async take(): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const names = await this.names();
    const last = names.at(-1);
    const name = String((last ? Number(last) : 0) + 1).padStart(8, "0");
    // Copied under a hidden name, then renamed: a crash never leaves a half snapshot that undo would restore.
    const partial = join(this.dir, `.${name}.partial`);
    await rm(partial, { recursive: true, force: true });
    await cp(this.corpusDir, partial, { recursive: true, filter: (src) => !isHidden(src, this.corpusDir) });
    await rename(partial, join(this.dir, name));
    return name;
  }

  /** Puts the corpus back as it was in snapshot `name`. */
  async restore(name: string): Promise<void> {
    const from = join(this.dir, name);
    for (const entry of await readdir(this.corpusDir)) {
      if (!entry.startsWith(".")) await rm(join(this.corpusDir, entry), { recursive: true, force: true });
    }
    await cp(from, this.corpusDir, { recursive: true });
  }

  /** Deletes snapshot `name` (one whose change did not happen). */
  async discard(name: string): Promise<void> {
    await rm(join(this.dir, name), { recursive: true, force: true });
  }

  /** Deletes all but the last `limit` snapshots; returns the names kept. */
  async prune(): Promise<Set<string>> {
    const names = await this.names();
    const drop = names.slice(0, Math.max(0, names.length - this.limit));
    for (const name of drop) await this.discard(name);
    return new Set(names.slice(drop.length));
  }

  /** The snapshots kept, oldest first. */
  async names(): Promise<string[]> {
    const entries = await readdir(this.dir).catch(() => [] as string[]);
    return entries.filter((n) => SNAPSHOT_NAME.test(n)).sort();
  }
}

function isHidden(path: string, root: string): boolean {
  return path !== root && basename(path).startsWith(".");
}
