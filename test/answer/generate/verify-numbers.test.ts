/**
 * Numbers as verification reads them: the same quantity in figures or in words is one number,
 * so a model that writes "ten thousand" for "10,000" is not removed, and one that changes a
 * number still is.
 */
import { describe, expect, it } from "vitest";
import { numberMentions, numbersOf } from "../../../src/answer/generate/verify-numbers.js";

describe("numberMentions", () => {
  it("reads figures and number words as whole values, with the word that follows", () => {
    expect(numberMentions("about ten thousand snails and 1.2 million people").map((m) => [m.value, m.next])).toEqual([
      ["10000", "snails"],
      ["1200000", "people"],
    ]);
    expect(numberMentions("seventy-one thousand, 15.6 billion euros, two hundred").map((m) => m.value)).toEqual([
      "71000",
      "15600000000",
      "200",
    ]);
  });

  it("keeps two figures, or two units, apart", () => {
    expect(numberMentions("between 30 and 50, in 2023-24, five six").map((m) => m.value)).toEqual([
      "30",
      "50",
      "2023",
      "24",
      "5",
      "6",
    ]);
  });

  it("drops thousands separators and trailing zero decimals", () => {
    expect(numberMentions("1,056,006 tiles and 2.0 metres").map((m) => m.value)).toEqual(["1056006", "2"]);
  });
});

describe("numbersOf", () => {
  it("offers each mention whole and each of its parts", () => {
    expect([...numbersOf("roughly 10,000 snails; 1.4 billion euros")].sort()).toEqual(
      ["10000", "1.4", "1000000000", "1400000000"].sort(),
    );
  });
});
