import { z } from "zod";
import { PassageError } from "../../errors.js";
import { rowSchemas } from "../rows.js";

/** A `timestamptz` as pg returns it (a Date), as the ISO 8601 text the store interface speaks. */
export function iso(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  throw new PassageError("STORE_DB", `A time read from PostgreSQL is not a time (${String(value)}).`);
}

/** A `text[]` as pg returns it; anything else (a value written by hand) reads as no ids. */
function textArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The shared rows as pg returns them: times as Dates, id and comment lists as arrays, flags as booleans. */
export const ROWS = rowSchemas({
  time: z.date().transform((d) => d.toISOString()),
  ids: z.unknown().transform(textArray),
  flag: z.boolean(),
  comments: z
    .array(z.string())
    .nullable()
    .transform((comments) => comments ?? []),
});
