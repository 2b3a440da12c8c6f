import type { Writable } from "node:stream";
import type { BuildProgress } from "../index/build-index.js";

const PHASES: Record<BuildProgress["phase"], string> = {
  read: "Reading",
  embed: "Embedding",
  graph: "Linking",
  write: "Writing",
};

/**
 * A one-line progress bar for index builds, redrawn in place on a terminal. On anything else
 * (a pipe, a CI log) it stays silent: a log full of carriage returns helps nobody.
 */
export function progressBar(stream: Writable & { isTTY?: boolean; columns?: number }): {
  update: (p: BuildProgress) => void;
  done: () => void;
} {
  let drawn = false;
  return {
    update(p) {
      if (!stream.isTTY) return;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
      const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
      const filled = Math.round(ratio * width);
      stream.write(
        `\r${PHASES[p.phase].padEnd(9)} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${p.done}/${p.total}   `,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
