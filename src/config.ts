import { resolve } from "node:path";
import { ConfigError } from "./errors.js";
import { LOG_LEVELS, type LogLevel } from "./log.js";

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
}

/** Everything the program reads from its environment, validated once at start-up. */
export interface Config {
  readonly corpusDir: string;
  readonly dataDir: string;
  readonly indexDir: string;
  readonly logLevel: LogLevel;
  readonly discord: DiscordConfig | null;
  /** Values that must never be written to a log. */
  readonly secrets: readonly string[];
}

/** Defaults for every optional setting, in one place. */
export const CONFIG_DEFAULTS = {
  corpusDir: "corpus",
  dataDir: "data",
  logLevel: "info",
  cooldownSeconds: 3,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration from an environment (normally `process.env` after
 * dotenv). A missing or malformed value throws a `ConfigError` whose one-line message names
 * the variable; a secret's value never appears in it.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const dataDir = resolve(cwd, text(env, "PASSAGE_DATA_DIR") ?? CONFIG_DEFAULTS.dataDir);
  const logLevel = (text(env, "LOG_LEVEL") ?? CONFIG_DEFAULTS.logLevel).toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError("CONFIG_INVALID", `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${logLevel}").`);
  }
  const discord = discordConfig(env);
  return {
    corpusDir: resolve(cwd, text(env, "PASSAGE_CORPUS_DIR") ?? CONFIG_DEFAULTS.corpusDir),
    dataDir,
    indexDir: resolve(cwd, text(env, "PASSAGE_INDEX_DIR") ?? resolve(dataDir, "index")),
    logLevel: logLevel as LogLevel,
    discord,
    secrets: discord ? [discord.token] : [],
  };
}

function discordConfig(env: Env): DiscordConfig | null {
  const token = text(env, "DISCORD_TOKEN");
  if (token === null) return null;
  // A bot token is three base64url parts joined by dots; checking the shape catches a pasted
  // client secret or a quoted value before Discord answers with an opaque 401.
  if (!/^[\w+/=-]{16,}\.[\w+/=-]{4,}\.[\w+/=-]{20,}$/.test(token)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      "DISCORD_TOKEN does not look like a bot token (three dot-separated parts from the Developer Portal's Bot page).",
    );
  }
  const apiUrl = text(env, "DISCORD_API_URL");
  if (apiUrl !== null && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(apiUrl)) {
    throw new ConfigError("CONFIG_INVALID", `DISCORD_API_URL must be an http(s) URL (got "${apiUrl}").`);
  }
  const roles = (text(env, "MODERATOR_ROLE_IDS") ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  for (const r of roles)
    if (!isSnowflake(r))
      throw new ConfigError("CONFIG_INVALID", `MODERATOR_ROLE_IDS must be comma-separated Discord ids (got "${r}").`);
  const cooldown = text(env, "ASK_COOLDOWN_SECONDS");
  const cooldownSeconds = cooldown === null ? CONFIG_DEFAULTS.cooldownSeconds : Number(cooldown);
  if (!Number.isFinite(cooldownSeconds) || cooldownSeconds < 0 || cooldownSeconds > 3600) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `ASK_COOLDOWN_SECONDS must be a number of seconds from 0 to 3600 (got "${cooldown}").`,
    );
  }
  return {
    token,
    applicationId: snowflake(env, "DISCORD_APPLICATION_ID"),
    guildId: snowflake(env, "DISCORD_GUILD_ID"),
    apiUrl: apiUrl?.replace(/\/+$/, "") ?? null,
    moderatorRoleIds: roles,
    cooldownSeconds,
  };
}

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function isSnowflake(value: string): boolean {
  return /^\d{15,21}$/.test(value);
}

function snowflake(env: Env, name: string): string | null {
  const value = text(env, name);
  if (value !== null && !isSnowflake(value))
    throw new ConfigError("CONFIG_INVALID", `${name} must be a Discord id (15–21 digits), got "${value}".`);
  return value;
}
