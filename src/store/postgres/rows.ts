import { PassageError } from "../../errors.js";

/** A `timestamptz` as pg returns it (a Date), as the ISO 8601 text the store interface speaks. */
export function iso(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  throw new PassageError("STORE_DB", `A time read from PostgreSQL is not a time (${String(value)}).`);
}

/** A nullable `timestamptz` as ISO 8601 text, or null. */
export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** A `text[]` as pg returns it; anything else (a value written by hand) reads as no ids. */
export function textArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
