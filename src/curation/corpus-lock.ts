import { readFile, rm, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../errors.js";

/** The lock file, in the data directory: held by the process changing the corpus. */
export const LOCK_FILE = "corpus.lock";

export interface CorpusLockOptions {
  /** How often to look whether the holder is done. */
  readonly pollMs?: number;
  /** Give up after this long (a reindex of a large corpus with a remote embedder can take minutes). */
  readonly timeoutMs?: number;
}

/**
 * Runs `work` holding the lock file at `path`, so the bot and `npm run corpus` on the same host
 * change the corpus one at a time, as two moderators in the bot do (the manager's queue only
 * orders its own process). A lock left by a process that died is taken over; waiting longer
 * than `timeoutMs` is `CORPUS_BUSY`.
 */
export async function withCorpusLock<T>(
  path: string,
  work: () => Promise<T>,
  options: CorpusLockOptions = {},
): Promise<T> {
  const pollMs = options.pollMs ?? 100;
  const until = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > until)
      throw new UserError(
        "CORPUS_BUSY",
        "Another change to the corpus has been running for a long time; try again when it has finished.",
      );
    await sleep(pollMs);
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}

/** Whether a process with this id is running (EPERM: it is, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
