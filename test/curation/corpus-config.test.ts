import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

describe("CORPUS_HISTORY and CORPUS_WATCH", () => {
  it("default to 20 versions kept and no watching", () => {
    expect(loadConfig({}, "/srv/passage")).toMatchObject({ corpusHistory: 20, corpusWatch: false });
  });

  it("read a number of versions and a flag", () => {
    expect(loadConfig({ CORPUS_HISTORY: "5", CORPUS_WATCH: "1" })).toMatchObject({
      corpusHistory: 5,
      corpusWatch: true,
    });
    expect(loadConfig({ CORPUS_WATCH: "true" }).corpusWatch).toBe(true);
    expect(loadConfig({ CORPUS_WATCH: "0" }).corpusWatch).toBe(false);
  });

  it("refuse what cannot work, in one line naming the variable", () => {
    expect(() => loadConfig({ CORPUS_HISTORY: "0" })).toThrow(
      /^CORPUS_HISTORY must be a whole number of changes from 1 to 1000 \(got "0"\)\.$/,
    );
    expect(() => loadConfig({ CORPUS_HISTORY: "2.5" })).toThrow(/^CORPUS_HISTORY /);
    expect(() => loadConfig({ CORPUS_WATCH: "maybe" })).toThrow(/^CORPUS_WATCH must be 1 or 0 \(got "maybe"\)\.$/);
  });
});
