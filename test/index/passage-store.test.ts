import { Document } from "@langchain/core/documents";
import { describe, expect, it } from "vitest";
import { Random } from "../../scripts/lib/bench/random.js";
import type { Passage } from "../../src/corpus/passage.js";
import { passageRow } from "../../src/index/passage-rows.js";
import { decodePassages, encodePassages } from "../../src/index/passage-store.js";

function passage(id: string, source: string, url: string | null = null): Passage {
  const metadata = {
    id,
    source,
    title: `Title of ${source}`,
    url,
    paragraph: 2,
    paragraphEnd: 3,
    start: 10,
    end: 40,
    sentences: [
      { start: 10, end: 25 },
      { start: 26, end: 40 },
    ],
  };
  return new Document({ pageContent: `text of ${id}`, metadata, id });
}

const passages = [passage("a1", "a.md"), passage("b1", "b.md", "https://b"), passage("a2", "a.md")];
const labels = Uint32Array.of(4, 0, 7);

/** passages.json with passage 0's row replaced by `row`. */
function withRow(row: unknown): string {
  const file = JSON.parse(encodePassages(passages, labels));
  file.passages[0] = row;
  return JSON.stringify(file);
}

function decodeError(text: string, expected = passages.length): string | null {
  try {
    decodePassages(text, expected);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("passages.json", () => {
  it("reads back the passages and labels it wrote, storing each article once", () => {
    const text = encodePassages(passages, labels);
    expect(JSON.parse(text).articles).toEqual([
      ["a.md", "Title of a.md", null],
      ["b.md", "Title of b.md", "https://b"],
    ]);
    const back = decodePassages(text, 3);
    expect(back.passages).toEqual(passages);
    expect(back.labels).toEqual(labels);
  });

  it("says what is wrong with a damaged file, naming the passage and the field", () => {
    const row = JSON.parse(encodePassages(passages, labels)).passages[0];
    expect(decodeError("{}")).toBe(`"articles" is missing`);
    expect(decodeError(JSON.stringify({ articles: [], passages: {} }))).toBe(`"passages" should be an array`);
    expect(decodeError(encodePassages(passages, labels), 4)).toBe("it holds 3 passages, not the 4 its manifest lists");
    expect(decodeError(withRow("row"))).toBe("passage 0 should be an array");
    expect(decodeError(withRow(row.slice(0, 8)))).toBe("passage 0 should have at least 9 items");
    expect(decodeError(withRow(row.with(1, -1)))).toBe("passage 0's label should be at least 0");
    expect(decodeError(withRow(row.with(1, 2 ** 32)))).toBe("passage 0's label should be at most 4294967295");
    expect(decodeError(withRow(row.with(7, [1, 2, 3])))).toBe(
      "passage 0's sentences are not pairs of start and end offsets",
    );
    expect(decodeError(withRow(row.with(7, [1, "2"])))).toBe("passage 0's sentences[1] should be a number");
    expect(decodeError(withRow(row.with(0, 9)))).toBe("passage 0's article 9 is not among the 2 articles");
    const file = JSON.parse(encodePassages(passages, labels));
    file.articles[1] = ["b.md", 5, null];
    expect(decodeError(JSON.stringify(file))).toBe("article 1's title should be a string");
  });

  it("reads a row exactly when its schema accepts it (the fast reader and zod agree)", () => {
    const random = new Random(5);
    const valid = JSON.parse(encodePassages(passages, labels)).passages[0] as unknown[];
    const odd: unknown[] = [-1, 0, 1, 1.5, 2 ** 32, 2 ** 53, "x", "", null, true, [], [1], [1, 2], ["a", "b"], {}];
    for (let n = 0; n < 2000; n++) {
      const row: unknown[] = [...valid];
      for (let changes = random.int(1, 2); changes > 0; changes--) {
        const at = random.int(0, 9);
        if (random.chance(0.1)) row.splice(at, 1);
        else row[at] = random.pick(odd);
      }
      // Only the values JSON can hold: a row comes from JSON.parse.
      const json = JSON.parse(JSON.stringify(row));
      const accepted = passageRow.safeParse(json).success && (json[0] === 0 || json[0] === 1);
      expect(decodeError(withRow(json)) === null, JSON.stringify(json)).toBe(accepted);
    }
  });
});
