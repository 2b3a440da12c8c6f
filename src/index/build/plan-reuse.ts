import type { Passage } from "../../corpus/passage.js";
import { u32At } from "../checked-at.js";
import type { HnswParams } from "../hnsw-params.js";
import type { Manifest, ManifestEmbedder } from "../manifest.js";
import type { StoredPassages } from "../passage-store.js";

/**
 * When the graph would hold more deleted slots than this share, a build starts afresh: deleted
 * points still cost search time and (above a quarter or so) degrade hnswlib's recall.
 */
const MAX_DELETED_SHARE = 0.2;
/**
 * When more than this share of the passages is new, a build starts afresh: replacing most of a
 * graph point by point costs as much as building it and links worse.
 */
const MAX_CHANGED_SHARE = 0.5;

/** What a new index is made with: the previous one's vectors and graph fit only if it was made the same way. */
export interface IndexRecipe {
  readonly embedder: ManifestEmbedder;
  readonly hnsw: HnswParams;
  /** How the concept postings are made (conceptPostingsId). */
  readonly conceptsId: string;
}

/** How an incremental build turns the previous graph into the new one. */
export interface ReusePlan {
  /** Label of each new passage's vector. */
  readonly labels: Uint32Array;
  /** Positions of the passages to embed (no unchanged passage had their text). */
  readonly embed: number[];
  /** Labels of the previous passages that are gone: to be marked deleted (new passages may reuse them). */
  readonly removed: number[];
  /** `keep[old]`: the new position of previous passage `old`, or -1. */
  readonly keep: Int32Array;
  /** Points in the new graph, deleted ones included. */
  readonly slots: number;
}

/** A plan, or why the build must be full (null when there was nothing to reuse). */
export type ReuseDecision =
  | { readonly plan: ReusePlan; readonly because: null }
  | { readonly plan: null; readonly because: string | null };

/** What planning reads of the previous index: its manifest's recipe and graph size, and its passages. */
export interface ReuseSource {
  readonly manifest: Pick<Manifest, "embedder" | "hnsw" | "concepts"> & {
    readonly graph: Pick<Manifest["graph"], "slots">;
  };
  readonly stored: StoredPassages;
}

/** Why the previous index's vectors and graph cannot serve `recipe`, or null when they can. */
export function reuseBlocker(manifest: ReuseSource["manifest"], recipe: IndexRecipe): string | null {
  const { embedder, hnsw } = manifest;
  if (embedder.id !== recipe.embedder.id || embedder.dimension !== recipe.embedder.dimension)
    return "the previous index was built by another embedder";
  if (hnsw.m !== recipe.hnsw.m || hnsw.efConstruction !== recipe.hnsw.efConstruction)
    return "the HNSW parameters changed";
  if (manifest.concepts.id !== recipe.conceptsId) return "the concept postings were made from another source";
  return null;
}

/**
 * Matches the new passages to the previous index's by text (the vector depends only on the
 * text and the embedder), or says why the build must be full. Pure: the graph is changed by
 * whoever carries the plan out.
 */
export function planReuse(previous: ReuseSource, passages: readonly Passage[], recipe: IndexRecipe): ReuseDecision {
  const blocker = reuseBlocker(previous.manifest, recipe);
  if (blocker) return { plan: null, because: blocker };
  const { passages: stored, labels: storedLabels } = previous.stored;
  // Previous passages by text, each text with the queue of (label, position) that carried it.
  const byText = new Map<string, { label: number; position: number }[]>();
  stored.forEach((p, position) => {
    let list = byText.get(p.pageContent);
    if (!list) {
      list = [];
      byText.set(p.pageContent, list);
    }
    list.push({ label: u32At(storedLabels, position), position });
  });
  const labels = new Uint32Array(passages.length);
  const keep = new Int32Array(stored.length).fill(-1);
  const embed: number[] = [];
  passages.forEach((p, i) => {
    const hit = byText.get(p.pageContent)?.shift();
    if (hit) {
      labels[i] = hit.label;
      keep[hit.position] = i;
    } else embed.push(i);
  });
  const removed = [...byText.values()].flatMap((list) => list.map((h) => h.label)).sort((a, b) => a - b);
  // New passages take free slots first (those deleted by earlier builds, then the ones removed
  // now), then new ones at the end.
  const used = new Uint8Array(previous.manifest.graph.slots);
  for (const label of storedLabels) {
    if (label >= used.length) throw new RangeError(`label ${label} is outside the graph's ${used.length} slots`);
    used[label] = 1;
  }
  const free: number[] = [];
  used.forEach((u, label) => {
    if (u === 0) free.push(label);
  });
  free.push(...removed);
  let slots = previous.manifest.graph.slots;
  embed.forEach((position, j) => {
    labels[position] = free[j] ?? slots++;
  });
  const deleted = slots - passages.length;
  if (embed.length > passages.length * MAX_CHANGED_SHARE)
    return { plan: null, because: `${embed.length} of ${passages.length} passages are new` };
  if (deleted > slots * MAX_DELETED_SHARE)
    return { plan: null, because: `${deleted} of ${slots} graph slots would be deleted points` };
  return { plan: { labels, embed, removed, keep, slots }, because: null };
}

/**
 * The plan for reusing the previous index, or why there is none: a full build was asked for,
 * there is no usable index (`cache.problem` says why, null when there is no index at all), or
 * planReuse's reason.
 */
export function decideReuse(
  cache: { readonly files: ReuseSource | null; readonly problem: string | null },
  passages: readonly Passage[],
  recipe: IndexRecipe,
  mode: "auto" | "full",
): ReuseDecision {
  if (mode === "full") return { plan: null, because: "a full build was asked for" };
  return cache.files ? planReuse(cache.files, passages, recipe) : { plan: null, because: cache.problem };
}
