import { describe, expect, it } from "vitest";
import {
  decideReuse,
  type IndexRecipe,
  planReuse,
  type ReuseDecision,
  type ReusePlan,
  type ReuseSource,
} from "../../../src/index/build/plan-reuse.js";
import { passageOfText } from "../passage-of-text.js";

const recipe: IndexRecipe = {
  embedder: { id: "local-v1", dimension: 8 },
  hnsw: { m: 20, efConstruction: 100, efSearch: 256 },
  conceptsId: "none",
};

/** A previous index of `texts`, passage i under `labels[i]`, in a graph of `slots` points. */
function previous(texts: string[], labels: number[], slots = labels.length, made = recipe): ReuseSource {
  return {
    manifest: { embedder: made.embedder, hnsw: made.hnsw, concepts: { id: made.conceptsId }, graph: { slots } },
    stored: { passages: texts.map(passageOfText), labels: Uint32Array.from(labels) },
  };
}

function planOf(decision: ReuseDecision): ReusePlan {
  if (!decision.plan) throw new Error(`expected a plan, got: ${decision.because}`);
  return decision.plan;
}

const ten = Array.from({ length: 10 }, (_, i) => `passage ${i}`);
const identity = ten.map((_, i) => i);

describe("planReuse", () => {
  it("keeps every label and embeds nothing when no text changed", () => {
    const plan = planOf(planReuse(previous(ten, identity), ten.map(passageOfText), recipe));
    expect(plan).toEqual({
      labels: Uint32Array.from(identity),
      embed: [],
      removed: [],
      keep: Int32Array.from(identity),
      slots: 10,
    });
  });

  it("follows passages that moved, and gives a new text the slot of the one it replaced", () => {
    const next = [...ten.slice(1), "a new passage"];
    next[3] = "rewritten";
    const plan = planOf(planReuse(previous(ten, identity), next.map(passageOfText), recipe));
    // "passage 0" and "passage 4" are gone; the two new texts take their slots, in order.
    expect(plan.removed).toEqual([0, 4]);
    expect(plan.embed).toEqual([3, 9]);
    expect([...plan.labels]).toEqual([1, 2, 3, 0, 5, 6, 7, 8, 9, 4]);
    expect([...plan.keep]).toEqual([-1, 0, 1, 2, -1, 4, 5, 6, 7, 8]);
    expect(plan.slots).toBe(10);
  });

  it("fills slots deleted by earlier builds first, then removed ones, then new ones at the end", () => {
    // Slots 10 and 11 hold deleted points already.
    const before = previous(ten, identity, 12);
    const next = [...ten.slice(1), "new one", "new two", "new three", "new four"].map(passageOfText);
    const plan = planOf(planReuse(before, next, recipe));
    expect(plan.embed).toEqual([9, 10, 11, 12]);
    expect([...plan.labels.slice(9)]).toEqual([10, 11, 0, 12]);
    expect(plan.slots).toBe(13);
  });

  it("matches repeated texts one to one", () => {
    const texts = [...ten.slice(0, 8), "same", "same"];
    const plan = planOf(planReuse(previous(texts, identity), [...texts, "same"].map(passageOfText), recipe));
    expect([...plan.labels.slice(8)]).toEqual([8, 9, 10]);
    expect(plan.embed).toEqual([10]);
  });

  it("says why the vectors cannot be reused when the index was made another way", () => {
    const other = (made: Partial<IndexRecipe>) =>
      planReuse(previous(ten, identity, 10, { ...recipe, ...made }), ten.map(passageOfText), recipe).because;
    expect(other({ embedder: { id: "other", dimension: 8 } })).toBe("the previous index was built by another embedder");
    expect(other({ hnsw: { ...recipe.hnsw, m: 16 } })).toBe("the HNSW parameters changed");
    expect(other({ hnsw: { ...recipe.hnsw, efSearch: 64 } })).toBeNull();
    expect(other({ conceptsId: "wordnet" })).toBe("the concept postings were made from another source");
  });

  it("starts afresh when most passages are new or most slots would be deleted points", () => {
    const mostlyNew = [...ten.slice(0, 4), ...ten.slice(4).map((t) => `${t}, rewritten`)];
    expect(planReuse(previous(ten, identity), mostlyNew.map(passageOfText), recipe).because).toBe(
      "6 of 10 passages are new",
    );
    expect(planReuse(previous(ten, identity), ten.slice(0, 7).map(passageOfText), recipe).because).toBe(
      "3 of 10 graph slots would be deleted points",
    );
    expect(planReuse(previous(ten, identity), ten.slice(0, 8).map(passageOfText), recipe).plan).not.toBeNull();
  });
});

describe("decideReuse", () => {
  it("plans only when a build may reuse and there is an index to reuse", () => {
    const files = previous(ten, identity);
    const passages = ten.map(passageOfText);
    expect(decideReuse({ files, problem: null }, passages, recipe, "full")).toEqual({
      plan: null,
      because: "a full build was asked for",
    });
    expect(decideReuse({ files: null, problem: "it is damaged" }, passages, recipe, "auto")).toEqual({
      plan: null,
      because: "it is damaged",
    });
    expect(decideReuse({ files: null, problem: null }, passages, recipe, "auto")).toEqual({
      plan: null,
      because: null,
    });
    expect(decideReuse({ files, problem: null }, passages, recipe, "auto").plan).not.toBeNull();
  });
});
