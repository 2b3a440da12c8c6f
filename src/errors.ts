/**
 * Errors the program expects and explains. Each has a `code` a caller can branch on and a
 * message written for the person who will read it; `cause` keeps the underlying error.
 */
export class PassageError extends Error {
  override readonly name: string = "PassageError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A problem with what the user asked (an empty question, one too long, a missing permission):
 * shown to them as it is, never logged as a failure of ours.
 */
export class UserError extends PassageError {
  override readonly name = "UserError";
}

/** The index on disk is missing, damaged, or was built for another embedder. */
export class IndexError extends PassageError {
  override readonly name = "IndexError";
}

/** Configuration that cannot work: named variable, one line. */
export class ConfigError extends PassageError {
  override readonly name = "ConfigError";
}

/** The message of any thrown value, for logs and one-line reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
