import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEvalSet } from "../../../scripts/lib/eval/eval-set.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "passage-eval-set-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes `content` (JSON unless a string) to a file named `name` and loads it. */
async function load(name: string, content: unknown) {
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return loadEvalSet(path);
}

const answerable = { id: "a", question: "Where?", gold: "Beijing", style: "direct" };
const unanswerable = { id: "u", question: "Who?", nearMiss: true };

describe("loadEvalSet", () => {
  it("reads the questions of a well-formed set", async () => {
    await expect(load("ok.json", { answerable: [answerable], unanswerable: [unanswerable] })).resolves.toEqual({
      answerable: [answerable],
      unanswerable: [unanswerable],
    });
  });

  it.each([
    ["not-json.json", "{answerable", /^.*not-json\.json: .*JSON/],
    ["array.json", [], /array\.json: needs "answerable" and "unanswerable" arrays$/],
    ["one-array.json", { answerable: [{ id: "a" }] }, /one-array\.json: needs "answerable" and "unanswerable" arrays$/],
    [
      "no-gold.json",
      { answerable: [answerable, { id: "b", question: "What?" }], unanswerable: [] },
      /no-gold\.json: answerable entries need id, question and gold$/,
    ],
    [
      "null-entry.json",
      { answerable: [], unanswerable: [unanswerable, null] },
      /null-entry\.json: unanswerable entries need id and question$/,
    ],
  ])("refuses %s with the file name and what is wrong", async (name, content, message) => {
    await expect(load(name, content)).rejects.toThrow(message);
  });

  it("says the file name when the file cannot be read", async () => {
    await expect(loadEvalSet(join(dir, "missing.json"))).rejects.toThrow(/missing\.json: ENOENT/);
  });
});
