import { describe, expect, it } from "vitest";
import { tag } from "../../src/text/nlp.js";

describe("tag", () => {
  it("reads parts of speech, lemmas and entity types offline", () => {
    const tokens = tag("Micron is the largest US manufacturer, worth $3 billion in February 2019.");
    const of = (text: string) => tokens.find((t) => t.text === text);
    expect(of("Micron")).toMatchObject({ pos: "PROPN", normal: "micron" });
    expect(of("largest")).toMatchObject({ pos: "ADJ", lemma: "large" });
    expect(of("billion")?.entity).toBe("MONEY");
    expect(of("February")?.entity).toBe("DATE");
    expect(of("manufacturer")?.entity).toBeNull();
  });

  it("marks the words a negation governs, and folds typographic quotes", () => {
    const tokens = tag("Why didn’t China ban the chips?");
    expect(tokens.find((t) => t.text === "ban")?.negated).toBe(true);
    expect(tokens.find((t) => t.text === "Why")?.negated).toBe(false);
    expect(tokens.map((t) => t.normal)).not.toContain("didn’t");
  });
});
