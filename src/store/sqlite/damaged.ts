import { errorMessage, PassageError } from "../../errors.js";

/**
 * Whether a better-sqlite3 error says the file itself is damaged (SQLITE_CORRUPT and its
 * extended codes, or SQLITE_NOTADB: not a database at all), as opposed to locked or full.
 */
export function isDamagedFile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB");
}

/**
 * The one-line `STORE_DAMAGED` error for a damaged SQLite file: which file, what it holds, and
 * the fix an operator can apply (a moderator sees the same line, so they can pass it on).
 */
export function damagedFileError(what: string, path: string, cause: unknown): PassageError {
  const code = (cause as { code?: unknown } | null)?.code;
  return new PassageError(
    "STORE_DAMAGED",
    `The ${what} file ${path} is damaged (${typeof code === "string" ? code : errorMessage(cause)}).`,
    {
      cause,
      remedy:
        "Stop the bot, move the file aside (or restore it from a backup) and start it again: a new empty one is made at start.",
    },
  );
}

/**
 * Runs a query, turning a damaged-file error into {@link damagedFileError}; any other error
 * passes through unchanged.
 */
export function guardDamage<T>(what: string, path: string, query: () => T): T {
  try {
    return query();
  } catch (error) {
    if (isDamagedFile(error)) throw damagedFileError(what, path, error);
    throw error;
  }
}
