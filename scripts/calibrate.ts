import type { AbstentionModel, Evidence } from "../src/answer/abstention.js";
import { ABSTENTION_MODEL, answerProbability, features } from "../src/answer/abstention.js";
import { Answerer } from "../src/answer/answerer.js";
import { errorMessage } from "../src/errors.js";
import { fail, startScript, withTemporaryIndex } from "./cli.js";
import { type EvalSet, loadEvalSet } from "./lib/eval/eval-set.js";

const USAGE = `
Usage: npm run calibrate -- [--set FILE] [--json]

Fits the abstention model (src/answer/abstention.ts) on a development set (default
test/fixtures/dev-questions.json): a logistic regression of "the question is answerable" on
the evidence of the best sentence, with both classes weighted equally. Prints the fitted
model to paste into ABSTENTION_MODEL, and how the current and fitted models decide on the
set. Never fit on the held-out set (test/eval): it measures, it does not train.

Options:
  --set FILE  the development set
  --json      print the fitted model as JSON
  -h, --help  show this help
`;

const { values, config } = startScript(
  USAGE,
  { set: { type: "string", default: "test/fixtures/dev-questions.json" }, json: { type: "boolean" } },
  false,
);
try {
  const set = await loadEvalSet(values.set ?? "");
  const rows = await withTemporaryIndex(config.corpusDir, ({ indexes, embedder, concepts }) =>
    evidenceOf(
      set,
      new Answerer(indexes.current, embedder, concepts, {
        extractive: { abstention: { ...ABSTENTION_MODEL, threshold: 0 } },
      }),
    ),
  );
  const fitted = fitLogistic(rows);
  if (values.json) process.stdout.write(`${JSON.stringify(fitted)}\n`);
  else {
    process.stdout.write(`Fitted on ${rows.length} questions of ${values.set}:\n${JSON.stringify(fitted, null, 2)}\n`);
    for (const t of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55]) {
      const m = { ...fitted, threshold: t };
      const ans = rows.filter((r) => r.label === 1 && answerProbability(r.evidence, m) >= t).length;
      const abs = rows.filter((r) => r.label === 0 && answerProbability(r.evidence, m) < t).length;
      process.stdout.write(`  threshold ${t}: answers ${ans} answerable, abstains on ${abs} unanswerable\n`);
    }
    for (const [name, model] of [
      ["current", ABSTENTION_MODEL],
      ["fitted", fitted],
    ] as const) {
      const answered = (label: 0 | 1) =>
        rows.filter((r) => r.label === label && answerProbability(r.evidence, model) >= model.threshold).length;
      const pos = rows.filter((r) => r.label === 1).length;
      const neg = rows.length - pos;
      process.stdout.write(
        `${name}: answers ${answered(1)}/${pos} answerable, abstains on ${neg - answered(0)}/${neg} unanswerable\n`,
      );
    }
  }
} catch (error) {
  fail(`Calibration failed: ${errorMessage(error)}`, 1);
}

/** The best sentence's evidence for every question, labelled answerable (1) or not (0). */
async function evidenceOf(set: EvalSet, open: Answerer): Promise<{ evidence: Evidence; label: 0 | 1 }[]> {
  // `open` has threshold 0: it never abstains, so every question yields its best sentence's evidence.
  const rows: { evidence: Evidence; label: 0 | 1 }[] = [];
  for (const q of set.answerable) {
    const a = await open.answer(q.question);
    if (a.evidence) rows.push({ evidence: a.evidence, label: 1 });
  }
  for (const q of set.unanswerable) {
    const a = await open.answer(q.question);
    if (a.evidence) rows.push({ evidence: a.evidence, label: 0 });
  }
  return rows;
}

/** Logistic regression by gradient descent, classes weighted equally, light L2 on the weights. */
function fitLogistic(rows: readonly { evidence: Evidence; label: 0 | 1 }[]): AbstentionModel {
  const keys = Object.keys(features(rows[0]?.evidence ?? ({} as Evidence))) as (keyof Evidence)[];
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
    weights: Object.fromEntries(keys.map((k, j) => [k, round(w[j] ?? 0)])) as Record<keyof Evidence, number>,
    threshold: 0.5,
  };
}
