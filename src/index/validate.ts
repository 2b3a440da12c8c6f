import type { z } from "zod";

/** Names the place of a problem in the value being checked: `it` for the whole value, `"graph.slots"` for a field. */
type PlaceName = (path: readonly PropertyKey[]) => string;

/**
 * `schema.parse(value)`, throwing an Error whose message says in words what is wrong (the
 * first problem found): `"graph.slots" is missing`, `"space" should be "cosine"`. The caller
 * wraps it with the file's name. `place` names where the problem is; a refinement's message
 * goes after it ("it" + "does not list vectors.hnsw").
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown, place: PlaceName = fieldName): T {
  const result = schema.safeParse(value, { error: phrase });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new Error("it is malformed");
  throw new Error(`${place(issue.path)} ${issue.message}`);
}

/** `it`, or the field's path in quotes: `"articles[3].title"`. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "it";
  const text = path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i > 0 ? "." : ""}${String(key)}`));
  return `"${text.join("")}"`;
}

/** Zod's problems as the rest of a sentence after the place. */
function phrase(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "is missing";
      const type = ({ int: "integer", tuple: "array" } as Record<string, string>)[issue.expected] ?? issue.expected;
      return `should be ${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
    }
    case "invalid_value":
      return `should be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
    case "too_small":
      return issue.origin === "array"
        ? `should have at least ${issue.minimum} items`
        : `should be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array"
        ? `should have at most ${issue.maximum} items`
        : `should be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}
