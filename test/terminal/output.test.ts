/**
 * What the terminal and the command-line tools print, for a person and for programs, from a
 * real stack over the seed article.
 */
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { briefingJson } from "../../src/briefing/briefing-json.js";
import { ask } from "../../src/commands/ask.js";
import { brief } from "../../src/commands/brief.js";
import { describeCorpus, status } from "../../src/commands/status.js";
import { formatAnswer, formatStatus, wrap } from "../../src/terminal/format.js";
import { formatBriefing } from "../../src/terminal/format-briefing.js";
import { answerJson, reindexJson } from "../../src/terminal/json.js";
import { progressBar } from "../../src/terminal/progress.js";
import { ANSWER_JSON_KEYS } from "../helpers/answer-json.js";
import { makeStack, type TestStack } from "../helpers/services.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await makeStack();
});
afterAll(() => stack.cleanup());

describe("answers", () => {
  it("reads for a person: the quoted answer with its markers, then the numbered sources", async () => {
    const text = formatAnswer(await ask(stack.services, "Where was the meeting held?"));
    expect(text).toMatch(/Diaoyutai State Guest House.*\[1\]/s);
    expect(text).toMatch(/Sources:\n\s+\[1\] Blinken’s visit to China — An Analysis, ¶ 2/);
    expect(text.split("\n").every((line) => line.length <= 100)).toBe(true);
  });

  it("lists the closest passages under an abstention", async () => {
    const answer = await ask(stack.services, "Who is the prime minister of the UK?");
    expect(answer.abstained).toBe(true);
    expect(formatAnswer(answer)).toMatch(/\n\nClosest passages:\n {2}\[1\] /);
  });

  it("is the promised JSON for programs, keys in order, with the whole passage in each citation", async () => {
    const answer = await ask(stack.services, "Whom did Blinken meet first?");
    const json = JSON.parse(JSON.stringify(answerJson(answer)));
    expect(Object.keys(json)).toEqual([...ANSWER_JSON_KEYS]);
    expect(json).toMatchObject({ mode: "quoted", model: null, removed: 0 });
    expect(json).toMatchObject({ question: "Whom did Blinken meet first?", kind: "answer", abstained: false });
    expect(json.answer).toContain("met his Chinese counterpart");
    expect(Object.keys(json.citations[0])).toEqual(["n", "id", "source", "title", "location", "text"]);
    expect(json.citations[0].text).toBe(answer.citations[0]?.text);
    expect(json.citations[0].text).toContain("met his Chinese counterpart");
  });
});

describe("overviews", () => {
  it("read for a person: the opening line, then one wrapped bullet per cited point, then the sources", async () => {
    const text = formatAnswer(await ask(stack.services, "what is this article about"));
    expect(text).toMatch(/^An overview of the article, in 3 key points:\n {2}• /);
    expect(text.match(/^ {2}• /gm)).toHaveLength(3);
    expect(text).toMatch(/\[3\]\n\nSources:\n {2}\[1\] Blinken’s visit to China — An Analysis, ¶ \d+/);
    expect(text.split("\n").every((line) => line.length <= 100)).toBe(true);
  });

  it("say what they are in the JSON: kind is overview, abstained or answer", async () => {
    const kinds = [];
    for (const q of ["tl;dr", "Who is the prime minister of the UK?", "What did China ban?"])
      kinds.push(JSON.parse(JSON.stringify(answerJson(await ask(stack.services, q)))).kind);
    expect(kinds).toEqual(["overview", "abstained", "answer"]);
    const json = answerJson(await ask(stack.services, "key takeaways"));
    expect(json).toMatchObject({ question: "key takeaways", kind: "overview", abstained: false });
    expect(json.citations.map((c) => c.n)).toEqual([1, 2, 3]);
    expect(json.answer.split("\n")).toHaveLength(4);
  });
});

describe("briefings", () => {
  it("read for a person: title, corpus, summary, cited points under headings, sources", async () => {
    const text = formatBriefing(await brief(stack.services));
    expect(text).toMatch(/^Briefing: the whole corpus\nCorpus [0-9a-f]{12}, built \d{4}-/);
    expect(text).toMatch(/6 key points from 1 article/);
    expect(text).toMatch(/\n {2}• [^•]+? \[1\]\n/);
    expect(text).toMatch(
      /Sources:\n {2}\[1\] Blinken’s visit to China — An Analysis, ¶ \d+ \(blinken-china-visit\.md\)/,
    );
  });

  it("say, as JSON too, when the corpus does not cover the topic, with the nearest passages", async () => {
    const json = JSON.parse(JSON.stringify(briefingJson(await brief(stack.services, { topic: "cricket" }))));
    expect(json).toMatchObject({ topic: "cricket", covered: false });
    expect(json.points.length).toBeGreaterThan(0);
    expect(json.points.every((p: { heading: string }) => p.heading === "Nearest passages")).toBe(true);
  });
});

describe("status and rebuilds", () => {
  it("aligns the status report", async () => {
    const text = formatStatus(await status(stack.services));
    expect(text).toMatch(
      /^Passage test\nArticles: {2}1\nPassages: {2}31\nBuilt at: {2}\d{4}-.*\nEmbedder: {2}\S+\nCorpus: {4}checksum [0-9a-f]{12}\nAnswers: {3}quoted\nUsage: {5}(not recorded|24 h: .*)\nUptime: {4}\d+ s$/,
    );
  });

  it("shows a replica's shared corpus version, and changes still waiting for the database", async () => {
    const report = await status(stack.services);
    expect(describeCorpus(report)).toBe(`checksum ${report.corpusChecksum}`);
    expect(describeCorpus({ ...report, shared: { version: 7, pending: 0 } })).toMatch(/ · shared version 7$/);
    expect(describeCorpus({ ...report, shared: { version: 7, pending: 2 } })).toMatch(
      / · shared version 7 · 2 changes waiting for the database$/,
    );
  });

  it("summarises a rebuild that changed nothing as JSON: every vector kept", async () => {
    const result = await stack.services.indexes.rebuild();
    expect(reindexJson(result, stack.indexDir)).toEqual({
      articles: 1,
      passages: 31,
      seconds: result.seconds,
      kind: "incremental",
      embedded: 0,
      fullBecause: null,
      indexDir: stack.indexDir,
      embedder: result.index.manifest.embedder.id,
      changes: result.changes,
      skipped: [],
    });
  });
});

describe("wrap", () => {
  it("breaks on word boundaries within the width, indenting every line", () => {
    expect(wrap("one two three four", 9, "> ")).toBe("> one two\n> three\n> four");
    expect(wrap("a-word-longer-than-the-width stays whole", 10)).toBe("a-word-longer-than-the-width\nstays\nwhole");
    expect(wrap("", 10)).toBe("");
  });
});

describe("progressBar", () => {
  function stream(isTTY: boolean) {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on("data", (c: Buffer) => chunks.push(c.toString()));
    return { stream: Object.assign(out, { isTTY, columns: 80 }), text: () => chunks.join("") };
  }

  it("redraws one line in place on a terminal, and ends it when done", () => {
    const tty = stream(true);
    const bar = progressBar(tty.stream);
    bar.update({ phase: "embed", done: 10, total: 40 });
    bar.update({ phase: "embed", done: 40, total: 40 });
    bar.done();
    bar.done();
    const draws = tty.text().split("\r").slice(1);
    expect(draws).toHaveLength(2);
    expect(draws[0]).toMatch(/^Embedding \[█{10}░{30}\] {2}25% 10\/40 {3}$/);
    expect(draws[1]).toMatch(/^Embedding \[█{40}\] 100% 40\/40 {3}\n$/);
  });

  it("stays silent on a pipe", () => {
    const pipe = stream(false);
    const bar = progressBar(pipe.stream);
    bar.update({ phase: "read", done: 1, total: 1 });
    bar.done();
    expect(pipe.text()).toBe("");
  });
});
