import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answererSystem } from "../../../scripts/lib/eval/baselines.js";
import { calibrationReport, evidenceOf, fitLogistic } from "../../../scripts/lib/eval/calibrate.js";
import { compareSystems } from "../../../scripts/lib/eval/compare.js";
import { loadEvalSet } from "../../../scripts/lib/eval/eval-set.js";
import { evaluate, NO_STYLE } from "../../../scripts/lib/eval/evaluate.js";
import { evalTable, styleTable } from "../../../scripts/lib/eval/table.js";
import { ABSTENTION_MODEL, answerProbability } from "../../../src/answer/abstention.js";
import { Answerer } from "../../../src/answer/answerer.js";
import { makeStack, type TestStack } from "../../helpers/services.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

describe("evaluate", () => {
  it("scores hits, abstentions, recall and citation precision from the answers given", async () => {
    const scores = await evaluate(answererSystem("passage", stack.services.answerer()), {
      answerable: [
        { id: "a", question: "Where was the meeting held?", gold: "Diaoyutai State Guest House", style: "direct" },
        // A gold span no passage holds: never retrieved, never hit.
        { id: "b", question: "Where was the meeting held?", gold: "no such span anywhere", style: "direct" },
      ],
      unanswerable: [{ id: "u", question: "Who is the prime minister of the UK?", nearMiss: false }],
    });
    expect(scores).toMatchObject({
      system: "passage",
      recallAt1: 0.5,
      recallAt5: 0.5,
      mrr: 0.5,
      answerHitRate: 0.5,
      falseAbstentionRate: 0,
      abstentionRate: 1,
      offTopicAbstentionRate: 1,
      // No near misses in the set: no figure, rather than a 0 that reads as a failure.
      nearMissAbstentionRate: null,
      byStyle: { direct: { questions: 2, answerHitRate: 0.5, falseAbstentionRate: 0 } },
    });
    expect(scores.citationPrecision).toBeGreaterThan(0);
    expect(scores.citationPrecision).toBeLessThanOrEqual(0.5);
    expect(scores.latencyMs.p95).toBeGreaterThanOrEqual(scores.latencyMs.p50);
  });

  it("reports abstention on near misses and on off-topic questions apart, counting unflagged ones as off-topic", async () => {
    const ukPrimeMinister = "Who is the prime minister of the UK?";
    const scores = await evaluate(answererSystem("passage", stack.services.answerer()), {
      answerable: [
        { id: "a", question: "Where was the meeting held?", gold: "Diaoyutai State Guest House", style: "typo" },
        { id: "b", question: "Where was the meeting held?", gold: "Diaoyutai State Guest House" },
      ],
      unanswerable: [
        { id: "off", question: ukPrimeMinister, nearMiss: false },
        { id: "unflagged", question: ukPrimeMinister },
        // Flagged a near miss but answered by the article: a near miss Passage does not decline.
        { id: "near", question: "Where was the meeting held?", nearMiss: true },
      ],
    });
    expect(scores).toMatchObject({
      abstentionRate: 2 / 3,
      nearMissAbstentionRate: 0,
      offTopicAbstentionRate: 1,
      byStyle: {
        typo: { questions: 1, answerHitRate: 1, falseAbstentionRate: 0 },
        [NO_STYLE]: { questions: 1, answerHitRate: 1, falseAbstentionRate: 0 },
      },
    });
    expect(Object.keys(scores.byStyle)).toEqual(["typo", NO_STYLE]);
  });

  it("reads the held-out set, whose gold spans are all in the corpus", async () => {
    const set = await loadEvalSet(new URL("../../eval/questions.json", import.meta.url).pathname);
    expect(set.answerable.length).toBeGreaterThanOrEqual(60);
    expect(set.unanswerable.length).toBeGreaterThanOrEqual(20);
    const text = stack.services.indexes.current.passages.map((p) => p.pageContent).join("\n");
    for (const q of set.answerable) expect(text, q.id).toContain(q.gold);
    // Every unanswerable question says which kind it is, so the near-miss/off-topic split never guesses.
    for (const q of set.unanswerable) expect(typeof q.nearMiss, q.id).toBe("boolean");
  });

  it("reads the development set: big enough to calibrate on, gold spans in the corpus, both kinds of unanswerable", async () => {
    const set = await loadEvalSet(new URL("../../fixtures/dev-questions.json", import.meta.url).pathname);
    expect(set.answerable.length).toBeGreaterThanOrEqual(165);
    expect(set.unanswerable.length).toBeGreaterThanOrEqual(90);
    expect(set.unanswerable.filter((q) => q.nearMiss === true).length).toBeGreaterThanOrEqual(50);
    expect(set.unanswerable.filter((q) => q.nearMiss === false).length).toBeGreaterThanOrEqual(30);
    const ids = [...set.answerable, ...set.unanswerable].map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(set.answerable.map((q) => q.style))).toEqual(
      new Set(["direct", "paraphrase", "keyword", "typo", "casual", "followup"]),
    );
    const passages = stack.services.indexes.current.passages.map((p) => p.pageContent);
    for (const q of set.answerable) {
      expect(passages.join("\n"), q.id).toContain(q.gold);
      // Short, and inside one sentence: a span an answer quoting one sentence can contain.
      expect(q.gold.split(/\s+/).length, q.id).toBeLessThanOrEqual(15);
      expect(q.gold, q.id).not.toMatch(/[.!?]\s+[A-Z]/);
    }
  });

  it.each(["fixtures/wiki/dev-questions.json", "eval/wiki-questions.json", "fixtures/wiki2/dev-questions.json"])(
    "reads the encyclopedic set %s: it names its corpus, whose articles hold every gold span",
    async (file) => {
      const set = await loadEvalSet(new URL(`../../${file}`, import.meta.url).pathname);
      expect(set.corpus).toMatch(/^test\/fixtures\/wiki\d?\/corpus$/);
      const folder = new URL(`../../../${set.corpus}/`, import.meta.url);
      const text = readdirSync(folder)
        .map((f) => readFileSync(new URL(f, folder), "utf8"))
        .join("\n");
      for (const q of set.answerable) expect(text, q.id).toContain(q.gold);
      for (const q of set.unanswerable) expect(typeof q.nearMiss, q.id).toBe("boolean");
      expect(set.unanswerable.filter((q) => q.nearMiss).length).toBeGreaterThanOrEqual(50);
    },
  );

  it("refuses a malformed set with the file name", async () => {
    await expect(loadEvalSet(new URL("../../../package.json", import.meta.url).pathname)).rejects.toThrow(
      /package\.json: needs "answerable"/,
    );
  });
});

describe("compareSystems", () => {
  const DEV_SET = new URL("../../fixtures/dev-questions.json", import.meta.url).pathname;

  it("scores Passage and its three baselines on the same index, and prints them as a table", async () => {
    const report = await compareSystems(stack.services, await loadEvalSet(DEV_SET), "dev.json");
    // The keys in the order `npm run eval -- --json` prints them.
    expect(Object.keys(report)).toEqual([
      "set",
      "answerable",
      "unanswerable",
      "nearMisses",
      "offTopic",
      "passages",
      "embedder",
      "systems",
    ]);
    expect(report).toMatchObject({
      set: "dev.json",
      answerable: 185,
      unanswerable: 104,
      nearMisses: 65,
      offTopic: 39,
      passages: 31,
    });
    expect(report.systems.map((s) => s.system)).toEqual(["passage", "bm25", "dense", "exact"]);
    for (const s of report.systems) {
      for (const score of [
        s.recallAt1,
        s.recallAt3,
        s.recallAt5,
        s.mrr,
        s.answerHitRate,
        s.falseAbstentionRate,
        s.abstentionRate,
        s.nearMissAbstentionRate ?? -1,
        s.offTopicAbstentionRate ?? -1,
        s.citationPrecision,
      ]) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    }
    const [passage, bm25, dense] = report.systems;
    expect(passage?.recallAt5).toBeGreaterThanOrEqual((bm25?.recallAt5 ?? 1) - 0.05);
    // The naive bots quote a sentence whenever their ranking finds a passage (dense search always
    // does; BM25 not when no word of the question is in the corpus); Passage declines far more.
    expect(dense).toMatchObject({ abstentionRate: 0, falseAbstentionRate: 0 });
    expect(passage?.abstentionRate).toBeGreaterThan((bm25?.abstentionRate ?? 1) + 0.3);

    const lines = evalTable(report).split("\n");
    expect(lines[0]).toBe(
      "dev.json: 185 answerable, 104 unanswerable questions (65 near misses, 39 off-topic); 31 passages",
    );
    expect(lines[2]).toMatch(
      /^\| system {2}\| +R@1 \| .* \| abst\. unans\. \| abst\. near miss \| abst\. off-topic \| .* \| +p95 ms \|$/,
    );
    expect(lines.slice(4).map((l) => l.split("|")[1]?.trim())).toEqual(["passage", "bm25", "dense", "exact"]);
    // The overall abstention is the two kinds weighted by their counts.
    for (const s of report.systems) {
      const weighted = ((s.nearMissAbstentionRate ?? 0) * 65 + (s.offTopicAbstentionRate ?? 0) * 39) / 104;
      expect(s.abstentionRate).toBeCloseTo(weighted, 10);
    }

    const styles = styleTable(report).split("\n");
    expect(styles[0]).toBe("Answer hit by style (false abstentions in brackets):");
    expect(styles[2]).toMatch(/^\| style +\| +n \| +passage \| +bm25 \| +dense \| +exact \|$/);
    expect(styles.slice(4).map((l) => l.split("|").map((c) => c.trim()))).toEqual(
      ["paraphrase", "direct", "typo", "keyword", "casual", "followup"].map((style) => [
        "",
        style,
        String(report.systems[0]?.byStyle[style]?.questions),
        ...report.systems.map((s) => {
          const b = s.byStyle[style];
          return `${b?.answerHitRate.toFixed(3)} (${b?.falseAbstentionRate.toFixed(3)})`;
        }),
        "",
      ]),
    );
  });
});

describe("calibration", () => {
  it("fits an abstention model that tells the dev set's answerable questions from the others", async () => {
    const set = await loadEvalSet(new URL("../../fixtures/dev-questions.json", import.meta.url).pathname);
    const { indexes, embedder, concepts } = stack.services;
    const open = new Answerer(indexes.current, embedder, concepts, {
      extractive: { abstention: { ...ABSTENTION_MODEL, threshold: 0 } },
    });
    const rows = await evidenceOf(set, open);
    expect(rows.filter((r) => r.label === 1).length).toBeGreaterThan(40);
    expect(rows.filter((r) => r.label === 0).length).toBeGreaterThan(10);

    const fitted = fitLogistic(rows);
    expect(Object.keys(fitted.weights).sort()).toEqual(Object.keys(ABSTENTION_MODEL.weights).sort());
    expect(fitted.threshold).toBe(0.5);
    // Better than either class alone: most answerable questions answered, most others declined.
    const answers = (label: 0 | 1) =>
      rows.filter((r) => r.label === label && answerProbability(r.evidence, fitted) >= 0.5).length /
      rows.filter((r) => r.label === label).length;
    expect(answers(1)).toBeGreaterThan(0.6);
    expect(answers(0)).toBeLessThan(0.4);

    const report = calibrationReport(rows, fitted, "dev.json").split("\n");
    expect(report[0]).toBe(`Fitted on ${rows.length} questions of dev.json:`);
    expect(JSON.parse(report.slice(1, -8).join("\n"))).toEqual(fitted);
    expect(report.slice(-8, -2).map((l) => l.replace(/: .*/, ""))).toEqual(
      [0.3, 0.35, 0.4, 0.45, 0.5, 0.55].map((t) => `  threshold ${t}`),
    );
    expect(report.at(-2)).toMatch(/^current: answers \d+\/\d+ answerable, abstains on \d+\/\d+ unanswerable$/);
    expect(report.at(-1)).toMatch(/^fitted: answers \d+\/\d+ answerable, abstains on \d+\/\d+ unanswerable$/);
  });
});
