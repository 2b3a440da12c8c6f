import { describe, expect, it } from "vitest";
import { displayForm, type GroupablePoint, groupPoints, headingFor } from "../../src/briefing/headings.js";
import { stem } from "../../src/text/analyze.js";

const options = { groupSimilarity: 0.2, secondWordRatio: 0.85 };

/** A point at `position` whose salient stems are the given words' stems, with the given weights. */
function point(position: number, text: string, weights: Record<string, number>): GroupablePoint {
  return { text, position, offset: 0, weights: new Map(Object.entries(weights).map(([w, x]) => [stem(w), x])) };
}

describe("headingFor", () => {
  it("names a point alone by its most salient word, as the text writes it, capitalised", () => {
    const p = point(0, "The fentanyl crisis deepened as deaths rose.", { fentanyl: 3, crisis: 1, deaths: 1 });
    expect(headingFor([p], options)).toBe("Fentanyl");
  });

  it("prefers the word most of a group's points share over a stronger word of one point", () => {
    const a = point(0, "Chips matter to the economy and the military.", { chips: 1, military: 5 });
    const b = point(1, "Export curbs on chips widened.", { chips: 1, curbs: 2 });
    expect(headingFor([a, b], options)).toBe("Chips");
  });

  it("adds a second shared word when it is nearly as strong, unless the first already holds it", () => {
    const a = point(0, "He spoke of Russia and Ukraine at length.", { russia: 1, ukraine: 1 });
    const b = point(1, "The war between Russia and Ukraine goes on.", { russia: 1, ukraine: 0.9 });
    expect(headingFor([a, b], options)).toBe("Russia and Ukraine");
    const weak = point(1, "The war between Russia and Ukraine goes on.", { russia: 1, ukraine: 0.1 });
    expect(headingFor([a, weak], options)).toBe("Russia");
    // "President Biden" already holds "Biden": no "President Biden and Biden".
    const c = point(0, "Talks with President Biden went well.", { president: 1, biden: 1 });
    const d = point(1, "Then President Biden left.", { president: 1, biden: 1 });
    expect(headingFor([c, d], options)).toBe("President Biden");
  });

  it("counts a name for more than a common word of the same salience", () => {
    const p = point(0, "The island of Taiwan held an election.", { island: 1, taiwan: 1 });
    expect(headingFor([p], options)).toBe("Taiwan");
  });

  it("falls back to a neutral heading when no word may name the group", () => {
    expect(headingFor([point(0, "It said so.", {})], options)).toBe("Other points");
  });
});

describe("displayForm", () => {
  it("writes a name as the text does, joined with the capitalised words around it", () => {
    expect(displayForm(stem("jinping"), ["A meeting with Xi Jinping was held."])).toBe("Xi Jinping");
    expect(displayForm(stem("sea"), ["Ships sailed in the South China Sea today."])).toBe("South China Sea");
    expect(displayForm(stem("qin"), ["He later met Mr Qin in Beijing."])).toBe("Qin");
  });

  it("writes a common word in lower case, in its shortest form, even when it opens a sentence", () => {
    expect(displayForm(stem("technology"), ["Technologies change. New technology arrives."])).toBe("technology");
  });
});

describe("groupPoints", () => {
  it("groups points that share salient words and keeps apart those that do not", () => {
    const points = [
      point(0, "Taiwan is a flashpoint.", { taiwan: 2, flashpoint: 1 }),
      point(1, "Fentanyl deaths tripled.", { fentanyl: 2, deaths: 1 }),
      point(2, "Taiwan's defence was discussed.", { taiwan: 2, defence: 1 }),
    ];
    const groups = groupPoints(points, options);
    expect(groups).toEqual([
      { heading: "Taiwan", members: [0, 2] },
      { heading: "Fentanyl", members: [1] },
    ]);
  });

  it("orders groups by their first point in the corpus and points by article order within", () => {
    const points = [
      point(5, "Later, fentanyl again.", { fentanyl: 1 }),
      point(3, "Taiwan first.", { taiwan: 1 }),
      point(1, "Fentanyl first.", { fentanyl: 1 }),
    ];
    expect(groupPoints(points, options).map((g) => g.members)).toEqual([[2, 0], [1]]);
  });

  it("gives every point exactly one group, even with nothing in common", () => {
    const points = [point(0, "One.", {}), point(1, "Two.", { two: 1 }), point(2, "Three.", { three: 1 })];
    const members = groupPoints(points, options).flatMap((g) => g.members);
    expect(members.sort()).toEqual([0, 1, 2]);
  });
});
