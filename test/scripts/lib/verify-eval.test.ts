/**
 * The core of `npm run eval:verify`: a set's items find their passages in a real corpus, are
 * verified by the real verifier with WordNet, and are scored as kept or removed against whether
 * they are faithful. Small real files in a temporary folder.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPassage, summarize, verifyItems } from "../../../scripts/lib/eval/verify-eval.js";
import { loadVerifySet } from "../../../scripts/lib/eval/verify-set.js";
import { verifyTables, wrongVerdicts } from "../../../scripts/lib/eval/verify-table.js";
import { loadCorpus } from "../../../src/corpus/load-corpus.js";
import type { Passage } from "../../../src/corpus/passage.js";
import { splitArticle } from "../../../src/corpus/split-passages.js";
import { WordNet } from "../../../src/embed/wordnet/wordnet.js";

const ARTICLE = `---
title: "Vasa"
---
Vasa is a Swedish warship that sank in Stockholm harbour on its maiden voyage on 10 August 1628. It carried 64 bronze cannon.

Thirty men were ordered to run back and forth across the upper deck. The test was stopped after three runs.
`;

let dir: string;
let passages: Passage[];
const wordnet = WordNet.open();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "passage-verify-eval-"));
  await writeFile(join(dir, "vasa.md"), ARTICLE);
  passages = (await loadCorpus(dir)).articles.flatMap((a) => splitArticle(a));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const item = (id: string, sentence: string, faithful: boolean, kind: string, text = "Swedish warship") => ({
  id,
  corpus: "unused",
  passages: [{ file: "vasa.md", text }],
  sentence,
  faithful,
  kind,
});

describe("verifier evaluation", () => {
  it("scores faithful sentences kept and unfaithful ones removed, per kind, and lists the wrong verdicts", async () => {
    const path = join(dir, "set.json");
    await writeFile(
      path,
      JSON.stringify({
        items: [
          item("f1", "The Swedish warship Vasa sank on its maiden voyage in 1628 [1].", true, "paraphrase"),
          item("f2", "The test was halted after three runs [1].", true, "paraphrase", "Thirty men"),
          item("u1", "Vasa carried 46 bronze cannon [1].", false, "changed-number"),
          item("u2", "Vasa sank in Stockholm harbour on its maiden voyage [2].", false, "wrong-citation"),
        ],
      }),
    );
    const set = await loadVerifySet(path);
    const report = summarize("set.json", verifyItems(set.items, passages, wordnet));

    expect(report.items).toBe(4);
    expect(report.unfaithfulRejected).toEqual({ items: 2, correct: 2, rate: 1 });
    expect(report.results.find((r) => r.id === "u1")).toMatchObject({ kept: false, reason: "number", correct: true });
    expect(report.results.find((r) => r.id === "u2")).toMatchObject({ reason: "bad-citation" });
    expect(report.byKind["changed-number"]).toEqual({ items: 1, correct: 1, rate: 1, faithful: false });
    expect(report.faithfulKept.items).toBe(2);

    const tables = verifyTables(report);
    expect(tables).toContain("| set.json");
    expect(tables).toMatch(/\| changed-number\s+\| no\s+\|\s+1 \|\s+1 \| 100\.0% \|/);
    // Every wrong verdict, and only those, is listed with its reason.
    const wrong = report.results.filter((r) => !r.correct);
    const listed = wrongVerdicts(report);
    for (const r of wrong) expect(listed).toContain(r.id);
    if (wrong.length === 0) expect(listed).toBe("Every verdict was right.");
  });

  it("finds a passage by a snippet only it contains, and says which item's snippet is wrong", () => {
    expect(findPassage(passages, { file: "vasa.md", text: "upper  deck" }, "x").pageContent).toContain("Thirty men");
    expect(() => findPassage(passages, { file: "vasa.md", text: "s" }, "a1")).toThrow(/^item a1: .* in 2 passages/);
    expect(() => findPassage(passages, { file: "vasa.md", text: "galleon" }, "a2")).toThrow(
      /item a2: .* in no passages/,
    );
    expect(() => findPassage(passages, { file: "kon-tiki.md", text: "raft" }, "a3")).toThrow(
      "item a3: no article kon-tiki.md in its corpus",
    );
  });

  it("rejects a malformed set with the file and the first problem on one line", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ items: [{ id: "x", corpus: "c", passages: [], sentence: "s" }] }));
    await expect(loadVerifySet(bad)).rejects.toThrow(/bad\.json: items\.0\.passages: /);
    const dup = join(dir, "dup.json");
    await writeFile(dup, JSON.stringify({ items: [item("d", "s [1]", true, "k"), item("d", "t [1]", true, "k")] }));
    await expect(loadVerifySet(dup)).rejects.toThrow('dup.json: duplicate id "d"');
    const notJson = join(dir, "broken.json");
    await writeFile(notJson, "{items");
    await expect(loadVerifySet(notJson)).rejects.toThrow(/^.*broken\.json: /);
  });
});
