/**
 * Errors the program expects and explains. Each has a typed `code` a caller can branch on and
 * a message written for the person who will read it; `cause` keeps the underlying error. Code
 * branches on `code` (or on a field such as `remedy`), never on message text.
 */

/** Problems with what a user asked: shown to them as they are, never logged as our failure. */
export type UserErrorCode =
  | "EMPTY_QUESTION"
  | "QUESTION_TOO_LONG"
  | "TOPIC_TOO_LONG"
  | "EMPTY_TOPIC"
  | "NO_TOPIC_WORDS"
  | "BAD_POINTS"
  | "BAD_CADENCE"
  | "BAD_TIME"
  | "COOLDOWN"
  | "NOT_MODERATOR"
  | "GUILD_ONLY"
  | "CANNOT_POST"
  | "SCHEDULES_OFF"
  | "NO_SUCH_SCHEDULE"
  | "TOO_MANY_SCHEDULES"
  | "PASSAGE_GONE"
  | "UNKNOWN_COMMAND"
  | "UNKNOWN_SUBCOMMAND"
  // A button or form whose custom id no handler knows (an older bot's, or forged).
  | "UNKNOWN_COMPONENT"
  // /corpus add given neither a file nor a url, or both.
  | "ARTICLE_SOURCE"
  | "REINDEX_RUNNING"
  | "ANSWER_GONE"
  | "FEEDBACK_OFF"
  | "BAD_DAYS"
  | "BAD_LIMIT"
  | "COMMENT_TOO_LONG"
  | "NO_MESSAGE_TEXT"
  // Corpus curation (src/curation): what a moderator changing the corpus is told.
  | "CORPUS_OFF"
  | "ARTICLE_DUPLICATE"
  | "ARTICLE_NOT_FOUND"
  | "ARTICLE_AMBIGUOUS"
  | "ARTICLE_NAME"
  | "ARTICLE_FILE"
  | "NOTHING_TO_UNDO"
  | "REINDEX_ROLLED_BACK"
  | "CORPUS_BUSY"
  // An article offered to the corpus that cannot be taken as it is (see src/corpus/ingest).
  | "ARTICLE_TOO_LARGE"
  | "ARTICLE_FORMAT"
  | "ARTICLE_BINARY"
  | "ARTICLE_NO_TEXT_LAYER"
  | "ARTICLE_UNREADABLE"
  | "ARTICLE_EMPTY"
  // A link the bot will not or could not fetch (see src/corpus/fetch).
  | "FETCH_SCHEME"
  | "FETCH_ADDRESS"
  | "FETCH_REDIRECTS"
  | "FETCH_TIMEOUT"
  | "FETCH_TOO_LARGE"
  | "FETCH_TYPE"
  | "FETCH_STATUS"
  | "FETCH_FAILED";

/** Problems with the index on disk or while building it. */
export type IndexErrorCode =
  | "INDEX_MISSING"
  | "INDEX_MISMATCH"
  | "INDEX_STALE"
  | "INDEX_CORRUPT"
  | "INDEX_BUILD"
  // The index folder cannot be written (read-only file system, permission) or the disk is full.
  | "INDEX_NOT_WRITABLE"
  | "INDEX_NO_SPACE"
  | "EMBEDDING_COUNT"
  | "EMBEDDING_DIMENSION";

/** Configuration that cannot work. */
export type ConfigErrorCode = "CONFIG_INVALID";

/**
 * A remote embeddings server that could not be used: unreachable or failing at start-up
 * (`EMBEDDINGS_UNAVAILABLE`), failing a request (`EMBEDDINGS_FAILED`), or still rate-limiting
 * after the retries Retry-After allowed (`EMBEDDINGS_RATE_LIMITED`).
 */
export type EmbeddingsErrorCode = "EMBEDDINGS_UNAVAILABLE" | "EMBEDDINGS_FAILED" | "EMBEDDINGS_RATE_LIMITED";

/** Every code the program raises. */
export type PassageErrorCode =
  | UserErrorCode
  | IndexErrorCode
  | ConfigErrorCode
  | EmbeddingsErrorCode
  | "CORPUS_MISSING"
  | "CORPUS_EMPTY"
  | "INDEX_NOT_OPEN"
  | "DISCORD_LOGIN"
  // Discord closed the gateway with a code it will not take the bot back after (4004, 4010–4014).
  | "DISCORD_CLOSED"
  // Discord could not be reached in DISCORD_CONNECT_ATTEMPTS tries, or sent no READY in DISCORD_READY_TIMEOUT_MS.
  | "DISCORD_UNREACHABLE"
  | "DISCORD_NO_READY"
  | "DISCORD_REGISTER"
  | "POST_UNDELIVERABLE"
  | "SCHEDULE_DB"
  | "FEEDBACK_DB"
  | "CORPUS_AUDIT_DB"
  // A SQLite file of the state store is damaged (SQLITE_CORRUPT, SQLITE_NOTADB): the message names the file and the fix.
  | "STORE_DAMAGED"
  // PostgreSQL (DATABASE_URL): unreachable at start after the retries, or a query that failed or timed out.
  | "STORE_UNAVAILABLE"
  | "STORE_DB";

export interface PassageErrorOptions {
  readonly cause?: unknown;
  /** What the reader can do about it, appended to the message ("Run `npm run reindex`…"). */
  readonly remedy?: string;
}

export class PassageError<Code extends PassageErrorCode = PassageErrorCode> extends Error {
  override readonly name: string = "PassageError";
  /** What the reader can do about it, when the message says. */
  readonly remedy: string | null;
  constructor(
    readonly code: Code,
    message: string,
    options: PassageErrorOptions = {},
  ) {
    super(
      options.remedy ? `${message} ${options.remedy}` : message,
      "cause" in options ? { cause: options.cause } : {},
    );
    this.remedy = options.remedy ?? null;
  }
}

/**
 * A problem with what the user asked (an empty question, one too long, a missing permission):
 * shown to them as it is, never logged as a failure of ours.
 */
export class UserError extends PassageError<UserErrorCode> {
  override readonly name = "UserError";
}

/** The index on disk is missing, damaged, or was built for another embedder. */
export class IndexError extends PassageError<IndexErrorCode> {
  override readonly name = "IndexError";
}

/** Configuration that cannot work: named variable, one line. */
export class ConfigError extends PassageError<ConfigErrorCode> {
  override readonly name = "ConfigError";
}

/** A remote embeddings server could not be used; the message names the server and model, never the key. */
export class EmbeddingsError extends PassageError<EmbeddingsErrorCode> {
  override readonly name = "EmbeddingsError";
}

/** Whether `error` is a `PassageError` with one of `codes`. */
export function hasCode<C extends PassageErrorCode>(error: unknown, ...codes: C[]): error is PassageError<C> {
  return error instanceof PassageError && (codes as PassageErrorCode[]).includes(error.code);
}

/** The message of any thrown value, for logs and one-line reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
