import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, normalize, sep } from "node:path";
import { loadCorpus } from "../corpus/load-corpus.js";
import type { Logger } from "../log.js";
import type { CorpusRecord, CorpusState, CorpusStore } from "../store/types.js";

/** A source the shared corpus may name: a relative path inside the corpus folder, no `..`, no hidden parts. */
const SAFE_SOURCE = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)*[A-Za-z0-9][A-Za-z0-9._-]*\.(?:md|markdown|txt)$/;

export interface SharedCorpusOptions {
  /** The shared corpus (PostgreSQL). */
  readonly store: CorpusStore;
  /** This process's corpus folder: its copy of the shared corpus, which its index is built from. */
  readonly corpusDir: string;
  readonly logger: Logger;
}

/**
 * This process's corpus folder kept equal to the corpus shared by every replica (issue 15): the
 * shared corpus is the source of truth, each replica writes it into its own folder and builds
 * its own read-only index replica from there. A change made here is published as one
 * transaction (`publish`); a change made elsewhere is pulled into the folder (`pull`), after
 * which the caller reindexes. Every article's checksum is the sha256 of its file, as the index
 * manifest takes it, so a replica whose index was built from the pulled folder carries the
 * shared corpus's checksum.
 */
export class SharedCorpus {
  private readonly store: CorpusStore;
  private readonly corpusDir: string;
  private readonly logger: Logger;
  /** The shared version this folder last matched (-1: not yet). */
  private synced = -1;

  constructor(options: SharedCorpusOptions) {
    this.store = options.store;
    this.corpusDir = options.corpusDir;
    this.logger = options.logger;
  }

  /** The shared corpus version the folder last matched, or -1. */
  get version(): number {
    return this.synced;
  }

  /**
   * At start, before the index opens: the first replica seeds an empty shared corpus with its
   * folder's articles; every other start writes the shared corpus into the folder.
   */
  async attach(): Promise<"seeded" | "pulled" | "unchanged"> {
    const state = await this.store.state();
    if (state.version === 0 && (await this.store.checksums()).size === 0) {
      const local = await this.readLocal();
      const seeded = await this.store.apply({ put: local, remove: [] });
      this.synced = seeded.version;
      this.logger.info("corpus.shared_seeded", { articles: local.length, version: seeded.version });
      return "seeded";
    }
    return (await this.pull()) ? "pulled" : "unchanged";
  }

  /**
   * Publishes what a change made to `sources` in the folder: each one's file as it now is, or
   * its removal when the file is gone, in one transaction.
   */
  async publish(sources: readonly string[]): Promise<CorpusState> {
    const put: Omit<CorpusRecord, "updatedAt">[] = [];
    const remove: string[] = [];
    for (const source of new Set(sources)) {
      const path = join(this.corpusDir, source);
      if (existsSync(path)) {
        const markdown = await readFile(path, "utf8");
        put.push({ source, markdown, checksum: sha256(markdown) });
      } else remove.push(source);
    }
    return this.apply(put, remove);
  }

  /**
   * Publishes whatever the folder holds that the shared corpus does not (a file edited on disk
   * and reindexed, say), in one transaction, but only while the folder is up to date with the
   * shared corpus: a replica that is behind would otherwise undo the others' changes. Returns
   * the new state, or null when it was behind (the pull it is waiting for comes first).
   */
  async publishFolder(): Promise<CorpusState | null> {
    const [state, shared] = await Promise.all([this.store.state(), this.store.checksums()]);
    if (state.version !== this.synced) return null;
    const local = await this.readLocal();
    const present = new Set(local.map((a) => a.source));
    const put = local.filter((a) => shared.get(a.source) !== a.checksum);
    const remove = [...shared.keys()].filter((source) => !present.has(source));
    if (put.length === 0 && remove.length === 0) return state;
    return this.apply(put, remove);
  }

  /**
   * Writes the shared corpus into the folder: adds and replaces files whose text differs (each
   * written under a hidden name, then renamed, so the loader never reads half a file) and removes
   * article files the shared corpus no longer has. True when a file changed.
   */
  async pull(): Promise<boolean> {
    const [state, shared] = await Promise.all([this.store.state(), this.store.checksums()]);
    const local = new Map((await this.readLocal()).map((a) => [a.source, a.checksum]));
    const differing: string[] = [];
    for (const [source, checksum] of shared) {
      if (!safeSource(source)) this.logger.warn("corpus.shared_unsafe_source", { source: source.slice(0, 200) });
      else if (local.get(source) !== checksum) differing.push(source);
    }
    // Only the texts that differ are read from the database.
    for (const record of differing.length > 0 ? await this.store.list(differing) : []) {
      const path = join(this.corpusDir, record.source);
      await mkdir(dirname(path), { recursive: true });
      const partial = join(dirname(path), `.${record.source.split("/").pop()}.partial`);
      await writeFile(partial, record.markdown);
      await rename(partial, path);
    }
    const removed = [...local.keys()].filter((source) => !shared.has(source));
    for (const source of removed) await rm(join(this.corpusDir, source), { force: true });
    this.synced = state.version;
    const changed = differing.length > 0 || removed.length > 0;
    if (changed) this.logger.info("corpus.shared_pulled", { articles: shared.size, version: state.version });
    return changed;
  }

  /** Applies a change to the shared corpus in one transaction and notes the version it made. */
  private async apply(put: Omit<CorpusRecord, "updatedAt">[], remove: string[]): Promise<CorpusState> {
    const state = await this.store.apply({ put, remove });
    // The folder matches the state only if nothing else changed in between; a notification for
    // any later version pulls it.
    if (state.version === this.synced + 1) this.synced = state.version;
    this.logger.info("corpus.shared_published", { put: put.length, removed: remove.length, version: state.version });
    return state;
  }

  /** The folder's article files as shared records. */
  private async readLocal(): Promise<Omit<CorpusRecord, "updatedAt">[]> {
    if (!existsSync(this.corpusDir)) return [];
    const { articles } = await loadCorpus(this.corpusDir);
    return articles.map((a) => ({ source: a.source, markdown: a.content, checksum: sha256(a.content) }));
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Whether a source from the shared corpus stays inside the corpus folder. */
function safeSource(source: string): boolean {
  return SAFE_SOURCE.test(source) && !normalize(source).split(sep).includes("..");
}
