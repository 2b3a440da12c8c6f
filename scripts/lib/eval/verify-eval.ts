import {
  type PassageToVerify,
  type RejectionReason,
  verificationContext,
  verifySentence,
} from "../../../src/answer/generate/verify.js";
import type { Passage } from "../../../src/corpus/passage.js";
import type { ConceptSource } from "../../../src/embed/concept-source.js";
import type { PassageRef, VerifyItem } from "./verify-set.js";

/** The verdict verification gave one item, beside the one it should have given. */
export interface ItemResult {
  readonly id: string;
  readonly kind: string;
  readonly faithful: boolean;
  readonly sentence: string;
  readonly kept: boolean;
  /** Why it was removed (when it was). */
  readonly reason?: RejectionReason;
  /** The words or quote that failed it. */
  readonly detail?: readonly string[];
  /** Kept when faithful, removed when not. */
  readonly correct: boolean;
}

/** Items and the share verification judged right, for one group (a kind, or faithful/unfaithful). */
export interface GroupScore {
  readonly items: number;
  readonly correct: number;
  readonly rate: number;
}

/** What verification did with a set. */
export interface VerifyReport {
  readonly set: string;
  readonly items: number;
  /** Faithful sentences kept: 1 − the share wrongly removed (over-strict). */
  readonly faithfulKept: GroupScore;
  /** Unfaithful sentences removed: 1 − the share let through (over-lenient). */
  readonly unfaithfulRejected: GroupScore;
  /** Per kind of sentence, correct = kept for faithful kinds, removed for unfaithful ones. */
  readonly byKind: Readonly<Record<string, GroupScore & { readonly faithful: boolean }>>;
  /** Why faithful sentences were removed, counted by reason. */
  readonly faithfulRemovedBy: Readonly<Record<string, number>>;
  readonly results: readonly ItemResult[];
}

/** Squeezes white space, so a snippet copied across a line break still finds its passage. */
function squeeze(text: string): string {
  return text.replace(/\s+/g, " ");
}

/**
 * The one passage of `ref.file` containing `ref.text`. Throws naming the item when none or
 * several do, so a set that no longer matches its corpus says which entry to fix.
 */
export function findPassage(passages: readonly Passage[], ref: PassageRef, itemId: string): Passage {
  const text = squeeze(ref.text);
  const found = passages.filter((p) => p.metadata.source === ref.file && squeeze(p.pageContent).includes(text));
  if (found.length === 1 && found[0]) return found[0];
  const where = `${ref.file}: "${ref.text.slice(0, 50)}"`;
  if (!passages.some((p) => p.metadata.source === ref.file))
    throw new Error(`item ${itemId}: no article ${ref.file} in its corpus`);
  throw new Error(
    `item ${itemId}: ${where} is in ${found.length === 0 ? "no" : found.length} passages (needs exactly one)`,
  );
}

/**
 * Verifies each item's sentence against its passages as the generating answerer does: each
 * passage with its article's title, through `verificationContext` and `verifySentence` with the
 * real concept source.
 */
export function verifyItems(
  items: readonly VerifyItem[],
  passages: readonly Passage[],
  concepts: ConceptSource | null,
): ItemResult[] {
  return items.map((item) => {
    const given: PassageToVerify[] = item.passages.map((ref) => {
      const p = findPassage(passages, ref, item.id);
      return { text: p.pageContent, title: p.metadata.title };
    });
    const verdict = verifySentence(item.sentence, verificationContext(given, concepts));
    const base = { id: item.id, kind: item.kind, faithful: item.faithful, sentence: item.sentence };
    if (verdict.ok) return { ...base, kept: true, correct: item.faithful };
    return { ...base, kept: false, reason: verdict.reason, detail: verdict.detail, correct: !item.faithful };
  });
}

function score(results: readonly ItemResult[]): GroupScore {
  const correct = results.filter((r) => r.correct).length;
  return { items: results.length, correct, rate: results.length === 0 ? 0 : correct / results.length };
}

/** Sums item results into the rates the script prints. */
export function summarize(set: string, results: readonly ItemResult[]): VerifyReport {
  const kinds = [...new Set(results.map((r) => r.kind))].sort();
  const byKind: Record<string, GroupScore & { faithful: boolean }> = {};
  for (const kind of kinds) {
    const group = results.filter((r) => r.kind === kind);
    byKind[kind] = { ...score(group), faithful: group.every((r) => r.faithful) };
  }
  const faithfulRemovedBy: Record<string, number> = {};
  for (const r of results)
    if (r.faithful && !r.kept && r.reason) faithfulRemovedBy[r.reason] = (faithfulRemovedBy[r.reason] ?? 0) + 1;
  return {
    set,
    items: results.length,
    faithfulKept: score(results.filter((r) => r.faithful)),
    unfaithfulRejected: score(results.filter((r) => !r.faithful)),
    byKind,
    faithfulRemovedBy,
    results,
  };
}
