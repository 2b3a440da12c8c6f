import { resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "./errors.js";
import { LOG_LEVELS, type LogLevel } from "./log.js";

/**
 * Which gateway shards this process serves (SHARD_COUNT, SHARD_IDS): `auto` takes the count
 * Discord recommends and serves all of them; a number serves `ids` of that many.
 */
export type ShardPlan = { readonly count: "auto" } | { readonly count: number; readonly ids: readonly number[] };

/** Discord settings, present only when a token is configured. */
export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string | null;
  readonly guildId: string | null;
  /** REST base of a Discord-compatible server (tests, self-hosters); null for discord.com. */
  readonly apiUrl: string | null;
  readonly moderatorRoleIds: readonly string[];
  /** Seconds a user waits between two /ask. */
  readonly cooldownSeconds: number;
  /** Tries at connecting to Discord at start before exiting non-zero (DISCORD_CONNECT_ATTEMPTS). */
  readonly connectAttempts: number;
  /** Wait before the second try; each later wait doubles, up to 30 s (DISCORD_CONNECT_BACKOFF_MS). */
  readonly connectBackoffMs: number;
  /** Longest wait for Discord's READY at start, retries included, before exiting non-zero (DISCORD_READY_TIMEOUT_MS). */
  readonly readyTimeoutMs: number;
  /** The shards to serve; null (the default) for one process serving the bot's one shard. */
  readonly shards: ShardPlan | null;
}

/** Where a remote model is served: any OpenAI-compatible server, or Ollama's own API. */
export type ModelProvider = "openai" | "ollama";

/** A language model that writes answers from the retrieved passages. */
export interface LlmConfig {
  readonly provider: ModelProvider;
  /** Base URL of the API (null: the provider's default, api.openai.com or Ollama on localhost). */
  readonly baseUrl: string | null;
  readonly model: string;
  readonly apiKey: string | null;
  /** Give up on the model after this long and answer offline instead. */
  readonly timeoutMs: number;
}

/** Which embedder turns passages and questions into vectors. */
export type EmbeddingsConfig =
  | { readonly provider: "local" }
  | {
      readonly provider: ModelProvider;
      readonly baseUrl: string | null;
      readonly model: string;
      readonly apiKey: string | null;
    };

/** Limits on articles added to the corpus from a file or a link. */
export interface IngestConfig {
  /** Largest file or fetched body accepted, in bytes (CORPUS_MAX_BYTES). */
  readonly maxBytes: number;
  /** Time allowed for fetching a link, redirects and body included (CORPUS_FETCH_TIMEOUT_MS). */
  readonly fetchTimeoutMs: number;
  /** Links may point at private, loopback and metadata addresses (CORPUS_FETCH_ALLOW_PRIVATE=1): tests and intranets only. */
  readonly fetchAllowPrivate: boolean;
}

/** PostgreSQL for the state several processes share. */
export interface DatabaseConfig {
  /** postgres:// or postgresql:// URL (a secret: it may hold the password). */
  readonly url: string;
  /** Seconds between checks of the shared corpus's version, besides LISTEN/NOTIFY (CORPUS_POLL_SECONDS). */
  readonly corpusPollSeconds: number;
  /** Tries at reaching PostgreSQL at start before exiting with one line (DATABASE_CONNECT_ATTEMPTS). */
  readonly connectAttempts: number;
}

/** Everything the program reads from its environment, validated once at start-up. */
export interface Config {
  readonly corpusDir: string;
  readonly dataDir: string;
  readonly indexDir: string;
  readonly logLevel: LogLevel;
  readonly discord: DiscordConfig | null;
  /** The model that writes answers; null (the default) answers offline by quoting. */
  readonly llm: LlmConfig | null;
  readonly embeddings: EmbeddingsConfig;
  /** Days the answer log keeps an answer and its votes (FEEDBACK_RETENTION_DAYS). */
  readonly feedbackRetentionDays: number;
  /** Corpus versions kept in `dataDir`/corpus-history for undo (CORPUS_HISTORY). */
  readonly corpusHistory: number;
  /** Reindex, debounced, when files under the corpus change on disk (CORPUS_WATCH=1 or `npm start -- --watch`). */
  readonly corpusWatch: boolean;
  readonly ingest: IngestConfig;
  /**
   * Shared state in PostgreSQL (DATABASE_URL): the answer log, votes, schedules, corpus audit and
   * the corpus itself; null (the default) keeps them in SQLite files in `dataDir`.
   */
  readonly database: DatabaseConfig | null;
  /** Values that must never be written to a log. */
  readonly secrets: readonly string[];
}

/** Defaults for every optional setting, in one place. */
export const CONFIG_DEFAULTS = {
  corpusDir: "corpus",
  dataDir: "data",
  logLevel: "info",
  cooldownSeconds: 3,
  feedbackRetentionDays: 90,
  llmTimeoutMs: 20_000,
  corpusHistory: 20,
  corpusMaxBytes: 5 * 1024 * 1024,
  corpusFetchTimeoutMs: 15_000,
  corpusPollSeconds: 30,
  databaseConnectAttempts: 8,
  discordConnectAttempts: 6,
  discordConnectBackoffMs: 1_000,
  discordReadyTimeoutMs: 60_000,
  /** Models used when a provider is set but LLM_MODEL / EMBEDDINGS_MODEL is not. */
  openaiChatModel: "gpt-4o-mini",
  openaiEmbeddingsModel: "text-embedding-3-small",
  ollamaChatModel: "llama3.2",
  ollamaEmbeddingsModel: "nomic-embed-text",
} as const satisfies {
  corpusDir: string;
  dataDir: string;
  logLevel: LogLevel;
  cooldownSeconds: number;
  feedbackRetentionDays: number;
  llmTimeoutMs: number;
  corpusHistory: number;
  corpusMaxBytes: number;
  corpusFetchTimeoutMs: number;
  corpusPollSeconds: number;
  databaseConnectAttempts: number;
  discordConnectAttempts: number;
  discordConnectBackoffMs: number;
  discordReadyTimeoutMs: number;
  openaiChatModel: string;
  openaiEmbeddingsModel: string;
  ollamaChatModel: string;
  ollamaEmbeddingsModel: string;
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable: trimmed, and absent when unset or blank (`FOO=` in .env means
 * "use the default"), then checked by `schema`.
 */
function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined), schema);
}

const SNOWFLAKE = /^\d{15,21}$/;

/** A Discord id (a snowflake) in the variable `name`. */
function snowflake(name: string) {
  return variable(
    z
      .string()
      .regex(SNOWFLAKE, { error: (issue) => `${name} must be a Discord id (15–21 digits), got "${issue.input}".` })
      .nullable()
      .default(null),
  );
}

/** A whole number from `min` to `max` in the variable `name`, counted in `unit`. */
function wholeNumber(name: string, min: number, max: number, unit: string, fallback: number) {
  return variable(
    z
      .string()
      .refine(
        (text) => {
          const n = Number(text);
          return /^\d+$/.test(text) && n >= min && n <= max;
        },
        { error: (issue) => `${name} must be a whole number of ${unit} from ${min} to ${max} (got "${issue.input}").` },
      )
      .transform(Number)
      .default(fallback),
  );
}

// Every message below names its variable and fits on one line; the first problem found is the
// one reported, in the order the keys are listed. A token's value never appears in a message.

/** The variables read in every mode. */
const SETTINGS = z.object({
  PASSAGE_CORPUS_DIR: variable(z.string().default(CONFIG_DEFAULTS.corpusDir)),
  PASSAGE_DATA_DIR: variable(z.string().default(CONFIG_DEFAULTS.dataDir)),
  PASSAGE_INDEX_DIR: variable(z.string().optional()),
  LOG_LEVEL: variable(
    z
      .string()
      .toLowerCase()
      .pipe(
        z.enum(LOG_LEVELS, {
          error: (issue) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${issue.input}").`,
        }),
      )
      .default(CONFIG_DEFAULTS.logLevel),
  ),
  CORPUS_HISTORY: variable(
    z
      .string()
      .refine(
        (count) => {
          const n = Number(count);
          return /^\d+$/.test(count) && n >= 1 && n <= 1000;
        },
        {
          error: (issue) => `CORPUS_HISTORY must be a whole number of changes from 1 to 1000 (got "${issue.input}").`,
        },
      )
      .transform(Number)
      .default(CONFIG_DEFAULTS.corpusHistory),
  ),
  CORPUS_WATCH: variable(
    z
      .string()
      .toLowerCase()
      .pipe(
        z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"], {
          error: (issue) => `CORPUS_WATCH must be 1 or 0 (got "${issue.input}").`,
        }),
      )
      .transform((flag) => ["1", "true", "yes", "on"].includes(flag))
      .default(false),
  ),
  // A bot token is three base64url parts joined by dots; checking the shape catches a pasted
  // client secret or a quoted value before Discord answers with an opaque 401.
  FEEDBACK_RETENTION_DAYS: variable(
    z
      .string()
      .refine(
        (days) => {
          const n = Number(days);
          return /^\d+$/.test(days) && n >= 1 && n <= 3650;
        },
        {
          error: (issue) =>
            `FEEDBACK_RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "${issue.input}").`,
        },
      )
      .transform(Number)
      .default(CONFIG_DEFAULTS.feedbackRetentionDays),
  ),
  DISCORD_TOKEN: variable(
    z
      .string()
      .regex(/^[\w+/=-]{16,}\.[\w+/=-]{4,}\.[\w+/=-]{20,}$/, {
        error:
          "DISCORD_TOKEN does not look like a bot token (three dot-separated parts from the Developer Portal's Bot page).",
      })
      .optional(),
  ),
});

/** The variables read only when a token is set: without one, Discord settings are ignored. */
const DISCORD_SETTINGS = z.object({
  DISCORD_API_URL: variable(
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, {
        error: (issue) => `DISCORD_API_URL must be an http(s) URL (got "${issue.input}").`,
      })
      .transform((url) => url.replace(/\/+$/, ""))
      .nullable()
      .default(null),
  ),
  MODERATOR_ROLE_IDS: variable(
    z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((r) => r.trim())
          .filter((r) => r.length > 0),
      )
      .pipe(
        z.array(
          z.string().regex(SNOWFLAKE, {
            error: (issue) => `MODERATOR_ROLE_IDS must be comma-separated Discord ids (got "${issue.input}").`,
          }),
        ),
      )
      .default([]),
  ),
  ASK_COOLDOWN_SECONDS: variable(
    z
      .string()
      .refine(
        (seconds) => {
          const n = Number(seconds);
          return Number.isFinite(n) && n >= 0 && n <= 3600;
        },
        { error: (issue) => `ASK_COOLDOWN_SECONDS must be a number of seconds from 0 to 3600 (got "${issue.input}").` },
      )
      .transform(Number)
      .default(CONFIG_DEFAULTS.cooldownSeconds),
  ),
  DISCORD_CONNECT_ATTEMPTS: wholeNumber(
    "DISCORD_CONNECT_ATTEMPTS",
    1,
    100,
    "attempts",
    CONFIG_DEFAULTS.discordConnectAttempts,
  ),
  DISCORD_CONNECT_BACKOFF_MS: wholeNumber(
    "DISCORD_CONNECT_BACKOFF_MS",
    10,
    60_000,
    "milliseconds",
    CONFIG_DEFAULTS.discordConnectBackoffMs,
  ),
  DISCORD_READY_TIMEOUT_MS: wholeNumber(
    "DISCORD_READY_TIMEOUT_MS",
    100,
    3_600_000,
    "milliseconds",
    CONFIG_DEFAULTS.discordReadyTimeoutMs,
  ),
  SHARD_COUNT: variable(
    z
      .string()
      .toLowerCase()
      .refine((count) => count === "auto" || (/^\d+$/.test(count) && Number(count) >= 1 && Number(count) <= 100_000), {
        error: (issue) =>
          `SHARD_COUNT must be a whole number of shards from 1 to 100000, or "auto" (got "${issue.input}").`,
      })
      .transform((count) => (count === "auto" ? ("auto" as const) : Number(count)))
      .optional(),
  ),
  SHARD_IDS: variable(
    z
      .string()
      .transform((list, context) => {
        const ids = shardIdList(list);
        if (ids === null)
          context.addIssue({
            code: "custom",
            message: `SHARD_IDS must be shard ids and ranges such as 0,2 or 0-3 (got "${list}").`,
          });
        return ids ?? [];
      })
      .optional(),
  ),
  DISCORD_APPLICATION_ID: snowflake("DISCORD_APPLICATION_ID"),
  DISCORD_GUILD_ID: snowflake("DISCORD_GUILD_ID"),
});

/** The variables for adding articles from files and links. */
const INGEST_SETTINGS = z.object({
  CORPUS_MAX_BYTES: variable(
    z
      .string()
      .refine(
        (bytes) => {
          const n = Number(bytes);
          return /^\d+$/.test(bytes) && n >= 1024 && n <= 100 * 1024 * 1024;
        },
        {
          error: (issue) =>
            `CORPUS_MAX_BYTES must be a whole number of bytes from 1024 to 104857600 (got "${issue.input}").`,
        },
      )
      .transform(Number)
      .default(CONFIG_DEFAULTS.corpusMaxBytes),
  ),
  CORPUS_FETCH_TIMEOUT_MS: variable(
    z
      .string()
      .refine(
        (ms) => {
          const n = Number(ms);
          return /^\d+$/.test(ms) && n >= 100 && n <= 300_000;
        },
        {
          error: (issue) =>
            `CORPUS_FETCH_TIMEOUT_MS must be a whole number of milliseconds from 100 to 300000 (got "${issue.input}").`,
        },
      )
      .transform(Number)
      .default(CONFIG_DEFAULTS.corpusFetchTimeoutMs),
  ),
  CORPUS_FETCH_ALLOW_PRIVATE: variable(
    z
      .string()
      .toLowerCase()
      .pipe(
        z.enum(["1", "0", "true", "false", "yes", "no"], {
          error: (issue) => `CORPUS_FETCH_ALLOW_PRIVATE must be 1 or 0 (got "${issue.input}").`,
        }),
      )
      .transform((flag) => flag === "1" || flag === "true" || flag === "yes")
      .default(false),
  ),
});

/** An http(s) base URL in the variable `name`, without trailing slashes; null when unset. */
function baseUrl(name: string) {
  return variable(
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, {
        error: (issue) => `${name} must be an http(s) URL (got "${issue.input}").`,
      })
      .transform((url) => url.replace(/\/+$/, ""))
      .nullable()
      .default(null),
  );
}

/** A provider name in the variable `name`, from `choices`. */
function provider<const C extends readonly [string, ...string[]]>(name: string, choices: C) {
  return variable(
    z
      .string()
      .toLowerCase()
      .pipe(
        z.enum(choices, { error: (issue) => `${name} must be one of ${choices.join(", ")} (got "${issue.input}").` }),
      )
      .optional(),
  );
}

/** The model variables: all optional; offline (no model, local embeddings) when none is set. */
const MODEL_SETTINGS = z.object({
  LLM_PROVIDER: provider("LLM_PROVIDER", ["openai", "ollama"] as const),
  LLM_BASE_URL: baseUrl("LLM_BASE_URL"),
  LLM_MODEL: variable(z.string().optional()),
  LLM_API_KEY: variable(z.string().optional()),
  LLM_TIMEOUT_MS: variable(
    z
      .string()
      .refine(
        (ms) => {
          const n = Number(ms);
          return Number.isInteger(n) && n >= 100 && n <= 600_000;
        },
        {
          error: (issue) =>
            `LLM_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000 (got "${issue.input}").`,
        },
      )
      .transform(Number)
      .default(CONFIG_DEFAULTS.llmTimeoutMs),
  ),
  EMBEDDINGS_PROVIDER: provider("EMBEDDINGS_PROVIDER", ["local", "openai", "ollama"] as const),
  EMBEDDINGS_BASE_URL: baseUrl("EMBEDDINGS_BASE_URL"),
  EMBEDDINGS_MODEL: variable(z.string().optional()),
  EMBEDDINGS_API_KEY: variable(z.string().optional()),
});

/** The shared-state variables (read in every mode). */
const DATABASE_SETTINGS = z.object({
  DATABASE_URL: variable(
    z
      .string()
      .refine((url) => /^postgres(?:ql)?:\/\/[^\s/]+/.test(url) && URL.canParse(url), {
        error: "DATABASE_URL must be a postgres:// URL such as postgres://passage:password@localhost:5432/passage.",
      })
      .optional(),
  ),
  CORPUS_POLL_SECONDS: variable(
    z
      .string()
      .regex(/^\d+$/, {
        error: (issue) =>
          `CORPUS_POLL_SECONDS must be a whole number of seconds from 1 to 3600 (got "${issue.input}").`,
      })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 3600, {
        error: "CORPUS_POLL_SECONDS must be a whole number of seconds from 1 to 3600.",
      })
      .default(CONFIG_DEFAULTS.corpusPollSeconds),
  ),
  DATABASE_CONNECT_ATTEMPTS: variable(
    z
      .string()
      .regex(/^\d+$/, {
        error: (issue) => `DATABASE_CONNECT_ATTEMPTS must be a whole number from 1 to 100 (got "${issue.input}").`,
      })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, { error: "DATABASE_CONNECT_ATTEMPTS must be a whole number from 1 to 100." })
      .default(CONFIG_DEFAULTS.databaseConnectAttempts),
  ),
});

/** DATABASE_URL's password, so it can be kept out of logs like the whole URL. */
function urlPassword(url: string): string | null {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === "" ? null : password;
  } catch {
    return null;
  }
}

/**
 * Reads and validates the configuration from an environment (normally `process.env` after
 * dotenv). A missing or malformed value throws a `ConfigError` whose one-line message names
 * the variable; a secret's value never appears in it.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const settings = parse(SETTINGS, env);
  const dataDir = resolve(cwd, settings.PASSAGE_DATA_DIR);
  const token = settings.DISCORD_TOKEN;
  const discord = token === undefined ? null : discordConfig(token, parse(DISCORD_SETTINGS, env));
  const models = parse(MODEL_SETTINGS, env);
  const llm = llmConfig(models);
  const embeddings = embeddingsConfig(models);
  const ingest = parse(INGEST_SETTINGS, env);
  const db = parse(DATABASE_SETTINGS, env);
  const database =
    db.DATABASE_URL === undefined
      ? null
      : {
          url: db.DATABASE_URL,
          corpusPollSeconds: db.CORPUS_POLL_SECONDS,
          connectAttempts: db.DATABASE_CONNECT_ATTEMPTS,
        };
  const secrets = [
    discord?.token,
    llm?.apiKey,
    embeddings.provider === "local" ? null : embeddings.apiKey,
    database?.url,
    database ? urlPassword(database.url) : null,
  ];
  return {
    corpusDir: resolve(cwd, settings.PASSAGE_CORPUS_DIR),
    dataDir,
    indexDir: resolve(cwd, settings.PASSAGE_INDEX_DIR ?? resolve(dataDir, "index")),
    logLevel: settings.LOG_LEVEL,
    discord,
    llm,
    embeddings,
    feedbackRetentionDays: settings.FEEDBACK_RETENTION_DAYS,
    corpusHistory: settings.CORPUS_HISTORY,
    corpusWatch: settings.CORPUS_WATCH,
    ingest: {
      maxBytes: ingest.CORPUS_MAX_BYTES,
      fetchTimeoutMs: ingest.CORPUS_FETCH_TIMEOUT_MS,
      fetchAllowPrivate: ingest.CORPUS_FETCH_ALLOW_PRIVATE,
    },
    database,
    secrets: secrets.filter((s): s is string => typeof s === "string"),
  };
}

type ModelSettings = z.output<typeof MODEL_SETTINGS>;

/**
 * The answer model, or null when none is configured. `openai` is the provider when only a URL
 * or a key is given; the official API needs its key, a local server (a base URL) does not.
 */
function llmConfig(s: ModelSettings): LlmConfig | null {
  const provider = s.LLM_PROVIDER ?? (s.LLM_BASE_URL !== null || s.LLM_API_KEY !== undefined ? "openai" : undefined);
  if (provider === undefined) {
    if (s.LLM_MODEL !== undefined)
      throw new ConfigError(
        "CONFIG_INVALID",
        "LLM_MODEL is set but no model server is: set LLM_BASE_URL or LLM_API_KEY.",
      );
    return null;
  }
  if (provider === "openai" && s.LLM_BASE_URL === null && s.LLM_API_KEY === undefined)
    throw new ConfigError(
      "CONFIG_INVALID",
      "LLM_PROVIDER=openai needs LLM_API_KEY for api.openai.com, or LLM_BASE_URL for another OpenAI-compatible server.",
    );
  return {
    provider,
    baseUrl: s.LLM_BASE_URL,
    model: s.LLM_MODEL ?? (provider === "openai" ? CONFIG_DEFAULTS.openaiChatModel : CONFIG_DEFAULTS.ollamaChatModel),
    apiKey: s.LLM_API_KEY ?? null,
    timeoutMs: s.LLM_TIMEOUT_MS,
  };
}

/** The embedder: local unless EMBEDDINGS_PROVIDER names a remote one. */
function embeddingsConfig(s: ModelSettings): EmbeddingsConfig {
  const provider = s.EMBEDDINGS_PROVIDER ?? "local";
  if (provider === "local") return { provider };
  if (provider === "openai" && s.EMBEDDINGS_BASE_URL === null && s.EMBEDDINGS_API_KEY === undefined)
    throw new ConfigError(
      "CONFIG_INVALID",
      "EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY for api.openai.com, or EMBEDDINGS_BASE_URL for another OpenAI-compatible server.",
    );
  return {
    provider,
    baseUrl: s.EMBEDDINGS_BASE_URL,
    model:
      s.EMBEDDINGS_MODEL ??
      (provider === "openai" ? CONFIG_DEFAULTS.openaiEmbeddingsModel : CONFIG_DEFAULTS.ollamaEmbeddingsModel),
    apiKey: s.EMBEDDINGS_API_KEY ?? null,
  };
}

/** "0,2", "0-3" or "0-1,4" as ids in ascending order without repeats; null when malformed. */
function shardIdList(list: string): number[] | null {
  const ids = new Set<number>();
  for (const part of list.split(",").map((p) => p.trim())) {
    const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!range) return null;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from || to - from > 100_000) return null;
    for (let id = from; id <= to; id += 1) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** SHARD_COUNT and SHARD_IDS together: ids need a number of shards, and must fall inside it. */
function shardPlan(count: number | "auto" | undefined, ids: readonly number[] | undefined): ShardPlan | null {
  if (ids !== undefined && typeof count !== "number")
    throw new ConfigError(
      "CONFIG_INVALID",
      `SHARD_IDS needs SHARD_COUNT set to the bot's total number of shards (got ${count === "auto" ? '"auto"' : "none"}).`,
    );
  if (count === undefined) return null;
  if (count === "auto") return { count };
  const outside = ids?.find((id) => id >= count);
  if (outside !== undefined)
    throw new ConfigError(
      "CONFIG_INVALID",
      `SHARD_IDS has shard ${outside}, outside SHARD_COUNT=${count} (ids run from 0 to ${count - 1}).`,
    );
  return { count, ids: ids ?? Array.from({ length: count }, (_, id) => id) };
}

function discordConfig(token: string, settings: z.output<typeof DISCORD_SETTINGS>): DiscordConfig {
  return {
    token,
    applicationId: settings.DISCORD_APPLICATION_ID,
    guildId: settings.DISCORD_GUILD_ID,
    apiUrl: settings.DISCORD_API_URL,
    moderatorRoleIds: settings.MODERATOR_ROLE_IDS,
    cooldownSeconds: settings.ASK_COOLDOWN_SECONDS,
    connectAttempts: settings.DISCORD_CONNECT_ATTEMPTS,
    connectBackoffMs: settings.DISCORD_CONNECT_BACKOFF_MS,
    readyTimeoutMs: settings.DISCORD_READY_TIMEOUT_MS,
    shards: shardPlan(settings.SHARD_COUNT, settings.SHARD_IDS),
  };
}

/** Parses `env` with `schema`, or throws the first problem as a `ConfigError`. */
function parse<T extends z.ZodType>(schema: T, env: Env): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  // The ZodError is not kept as the cause: its issues could carry the values that were read.
  throw new ConfigError("CONFIG_INVALID", result.error.issues[0]?.message ?? "The configuration is invalid.");
}
