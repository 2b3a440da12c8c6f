import type { AbstentionModel, Evidence, Feature } from "../../../src/answer/abstention.js";
import { ABSTENTION_MODEL, answerProbability, features } from "../../../src/answer/abstention.js";
import type { Answerer } from "../../../src/answer/answerer.js";
import type { EvalSet } from "./eval-set.js";

/** The evidence of a question's best sentence, labelled answerable (1) or not (0). */
export interface LabelledEvidence {
  readonly evidence: Evidence;
  readonly label: 0 | 1;
}

/**
 * The best sentence's evidence for every question of the set that no rule refuses (the model
 * decides only those). `open` must never abstain by the model (threshold 0), so every such
 * question yields one row.
 */
export async function evidenceOf(set: EvalSet, open: Answerer): Promise<LabelledEvidence[]> {
  const rows: LabelledEvidence[] = [];
  for (const q of set.answerable) {
    const a = await open.answer(q.question);
    if (a.evidence && a.evidence.refusal === null) rows.push({ evidence: a.evidence, label: 1 });
  }
  for (const q of set.unanswerable) {
    const a = await open.answer(q.question);
    if (a.evidence && a.evidence.refusal === null) rows.push({ evidence: a.evidence, label: 0 });
  }
  return rows;
}

/**
 * Logistic regression of the label on the evidence's features by gradient descent, classes
 * weighted equally, light L2 on the weights; weights rounded to three decimals, threshold 0.5.
 */
export function fitLogistic(rows: readonly LabelledEvidence[]): AbstentionModel {
  const keys = Object.keys(features(rows[0]?.evidence ?? ({} as Evidence))) as Feature[];
  const xs = rows.map((r) => keys.map((k) => features(r.evidence)[k]));
  const ys = rows.map((r) => r.label);
  const pos = ys.filter((y) => y === 1).length || 1;
  const neg = ys.length - pos || 1;
  const classWeight = (y: number) => (y === 1 ? ys.length / (2 * pos) : ys.length / (2 * neg));
  const w = keys.map(() => 0);
  let b = 0;
  const lambda = 0.01;
  for (let step = 0; step < 20_000; step++) {
    const gw = keys.map(() => 0);
    let gb = 0;
    xs.forEach((x, i) => {
      const z = b + x.reduce((s, v, j) => s + v * (w[j] ?? 0), 0);
      const err = (1 / (1 + Math.exp(-z)) - (ys[i] ?? 0)) * classWeight(ys[i] ?? 0);
      x.forEach((v, j) => {
        gw[j] = (gw[j] ?? 0) + err * v;
      });
      gb += err;
    });
    w.forEach((_, j) => {
      w[j] = (w[j] ?? 0) - 0.5 * ((gw[j] ?? 0) / xs.length + lambda * (w[j] ?? 0));
    });
    b -= (0.5 * gb) / xs.length;
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    bias: round(b),
    weights: Object.fromEntries(keys.map((k, j) => [k, round(w[j] ?? 0)])) as Record<Feature, number>,
    threshold: 0.5,
  };
}

/**
 * The fitted model as `npm run calibrate` prints it for a person: the JSON to paste into
 * ABSTENTION_MODEL, how a range of thresholds would decide, and the current model beside it.
 */
export function calibrationReport(rows: readonly LabelledEvidence[], fitted: AbstentionModel, setName: string): string {
  const lines = [`Fitted on ${rows.length} questions of ${setName}:`, JSON.stringify(fitted, null, 2)];
  for (const t of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55]) {
    const m = { ...fitted, threshold: t };
    const ans = rows.filter((r) => r.label === 1 && answerProbability(r.evidence, m) >= t).length;
    const abs = rows.filter((r) => r.label === 0 && answerProbability(r.evidence, m) < t).length;
    lines.push(`  threshold ${t}: answers ${ans} answerable, abstains on ${abs} unanswerable`);
  }
  for (const [name, model] of [
    ["current", ABSTENTION_MODEL],
    ["fitted", fitted],
  ] as const) {
    const answered = (label: 0 | 1) =>
      rows.filter((r) => r.label === label && answerProbability(r.evidence, model) >= model.threshold).length;
    const pos = rows.filter((r) => r.label === 1).length;
    const neg = rows.length - pos;
    lines.push(
      `${name}: answers ${answered(1)}/${pos} answerable, abstains on ${neg - answered(0)}/${neg} unanswerable`,
    );
  }
  return lines.join("\n");
}
