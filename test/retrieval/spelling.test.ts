import { describe, expect, it } from "vitest";
import { allowedEdits, editDistance, SpellingIndex } from "../../src/retrieval/spelling.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions", () => {
    expect(editDistance("kitten", "sitting", 5)).toBe(3);
    expect(editDistance("blinken", "bilnken", 3)).toBe(1);
    expect(editDistance("taiwan", "taiwan", 2)).toBe(0);
    expect(editDistance("", "abc", 5)).toBe(3);
    expect(editDistance("visit", "visits", 2)).toBe(1);
  });

  it("stops early with max + 1 once the distance must exceed max", () => {
    expect(editDistance("kitten", "sitting", 2)).toBe(3);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
  });

  it("gives the same answers for words longer than its buffers, and after them", () => {
    const long = "x".repeat(150);
    expect(editDistance(long, `${long}y`, 2)).toBe(1);
    expect(editDistance(`${long}ab`, `${long}ba`, 2)).toBe(1);
    expect(editDistance("kitten", "sitting", 5)).toBe(3);
  });
});

describe("SpellingIndex", () => {
  const index = new SpellingIndex(["blinken", "blinked", "beijing", "taiwan", "balloon", "spy", "2023", "washington"]);

  it("finds the nearest vocabulary words within the allowed edits, nearest first", () => {
    expect(index.corrections("blinkin")).toEqual(["blinken"]);
    // Eight letters and more may take two edits; the nearer word comes first.
    expect(index.corrections("blinkedd")).toEqual(["blinked", "blinken"]);
    expect(index.corrections("bilnken")).toEqual(["blinken"]);
    expect(index.corrections("washingtn")).toEqual(["washington"]);
    expect(index.corrections("beijnig")).toEqual(["beijing"]);
  });

  it("corrects nothing short, nothing too far and nothing that changes the first letter", () => {
    expect(allowedEdits(3)).toBe(0);
    expect(index.corrections("spi")).toEqual([]);
    expect(index.corrections("zzzzzzz")).toEqual([]);
    expect(index.corrections("vaiwan")).toEqual([]);
  });

  it("keeps at most `limit` words, the nearest", () => {
    const many = new SpellingIndex(["tariff", "tariffs", "tarifa", "tarot"]);
    expect(many.corrections("tarif", 1)).toHaveLength(1);
    expect(many.corrections("tarif", 3)).toEqual(["tarifa", "tariff"]);
  });
});
