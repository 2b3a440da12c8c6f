import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";

const TOKEN = "MTMxMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ABCD";

describe("loadConfig", () => {
  it("has working defaults and no Discord without a token", () => {
    const c = loadConfig({}, "/srv/passage");
    expect(c).toMatchObject({
      corpusDir: "/srv/passage/corpus",
      dataDir: "/srv/passage/data",
      indexDir: "/srv/passage/data/index",
      logLevel: "info",
      discord: null,
    });
  });

  it("reads the Discord settings and keeps the token as a secret", () => {
    const c = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_GUILD_ID: "1310000000000000100",
      MODERATOR_ROLE_IDS: "1310000000000000444, 1310000000000000445",
      DISCORD_API_URL: "http://127.0.0.1:9/api/",
    });
    expect(c.discord).toMatchObject({
      token: TOKEN,
      guildId: "1310000000000000100",
      apiUrl: "http://127.0.0.1:9/api",
      moderatorRoleIds: ["1310000000000000444", "1310000000000000445"],
      cooldownSeconds: 3,
    });
    expect(c.secrets).toEqual([TOKEN]);
  });

  it("treats a blank variable as unset, trims values and reads LOG_LEVEL in any case", () => {
    const c = loadConfig(
      {
        PASSAGE_DATA_DIR: "  ",
        PASSAGE_CORPUS_DIR: " articles ",
        PASSAGE_INDEX_DIR: "/var/index",
        LOG_LEVEL: " DEBUG ",
        DISCORD_TOKEN: ` ${TOKEN} `,
        ASK_COOLDOWN_SECONDS: " 0 ",
        MODERATOR_ROLE_IDS: " , ",
        DISCORD_APPLICATION_ID: "",
      },
      "/srv/passage",
    );
    expect(c).toMatchObject({
      corpusDir: "/srv/passage/articles",
      dataDir: "/srv/passage/data",
      indexDir: "/var/index",
      logLevel: "debug",
    });
    expect(c.discord).toEqual({
      token: TOKEN,
      applicationId: null,
      guildId: null,
      apiUrl: null,
      moderatorRoleIds: [],
      cooldownSeconds: 0,
      connectAttempts: 6,
      connectBackoffMs: 1000,
      readyTimeoutMs: 60_000,
      shards: null,
    });
  });

  it("retries Discord 6 times from 1 s and waits 60 s for READY unless told otherwise", () => {
    expect(loadConfig({ DISCORD_TOKEN: TOKEN }).discord).toMatchObject({
      connectAttempts: 6,
      connectBackoffMs: 1000,
      readyTimeoutMs: 60_000,
    });
    const c = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CONNECT_ATTEMPTS: "2",
      DISCORD_CONNECT_BACKOFF_MS: "50",
      DISCORD_READY_TIMEOUT_MS: "500",
    });
    expect(c.discord).toMatchObject({ connectAttempts: 2, connectBackoffMs: 50, readyTimeoutMs: 500 });
  });

  it.each([
    [{ SHARD_COUNT: "2" }, { count: 2, ids: [0, 1] }],
    [
      { SHARD_COUNT: "4", SHARD_IDS: "0-1" },
      { count: 4, ids: [0, 1] },
    ],
    [
      { SHARD_COUNT: "8", SHARD_IDS: " 6, 0-2 ,2" },
      { count: 8, ids: [0, 1, 2, 6] },
    ],
    [
      { SHARD_COUNT: "1", SHARD_IDS: "0" },
      { count: 1, ids: [0] },
    ],
    [{ SHARD_COUNT: "AUTO" }, { count: "auto" }],
    [{}, null],
  ])("reads the shards from %o", (env, shards) => {
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, ...env }).discord?.shards).toEqual(shards);
  });

  it.each([
    [{ SHARD_COUNT: "0" }, 'SHARD_COUNT must be a whole number of shards from 1 to 100000, or "auto" (got "0").'],
    [{ SHARD_COUNT: "two" }, 'SHARD_COUNT must be a whole number of shards from 1 to 100000, or "auto" (got "two").'],
    [{ SHARD_COUNT: "2", SHARD_IDS: "0;1" }, 'SHARD_IDS must be shard ids and ranges such as 0,2 or 0-3 (got "0;1").'],
    [{ SHARD_COUNT: "4", SHARD_IDS: "3-1" }, 'SHARD_IDS must be shard ids and ranges such as 0,2 or 0-3 (got "3-1").'],
    [{ SHARD_COUNT: "4", SHARD_IDS: "-1" }, 'SHARD_IDS must be shard ids and ranges such as 0,2 or 0-3 (got "-1").'],
    [{ SHARD_COUNT: "2", SHARD_IDS: "0-2" }, "SHARD_IDS has shard 2, outside SHARD_COUNT=2 (ids run from 0 to 1)."],
    [{ SHARD_IDS: "0" }, "SHARD_IDS needs SHARD_COUNT set to the bot's total number of shards (got none)."],
    [
      { SHARD_COUNT: "auto", SHARD_IDS: "0" },
      'SHARD_IDS needs SHARD_COUNT set to the bot\'s total number of shards (got "auto").',
    ],
  ])("refuses the shards %o in one line naming the variable", (env, message) => {
    expect(() => loadConfig({ DISCORD_TOKEN: TOKEN, ...env })).toThrow(message);
  });

  it("ignores the Discord settings when no token is set, however malformed", () => {
    const c = loadConfig({ DISCORD_TOKEN: " ", DISCORD_GUILD_ID: "guild", ASK_COOLDOWN_SECONDS: "soon" });
    expect(c.discord).toBeNull();
    expect(c.secrets).toEqual([]);
  });

  it("reports the first problem only, in a fixed order of variables", () => {
    expect(() => loadConfig({ LOG_LEVEL: "loud", DISCORD_TOKEN: "not a token" })).toThrow(/^LOG_LEVEL /);
    expect(() =>
      loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: "guild", MODERATOR_ROLE_IDS: "1310000000000000444,x,y" }),
    ).toThrow(/^MODERATOR_ROLE_IDS must be comma-separated Discord ids \(got "x"\)\.$/);
  });

  it.each([
    [{ DISCORD_TOKEN: "not a token" }, /^DISCORD_TOKEN does not look like a bot token/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: "guild" }, /^DISCORD_GUILD_ID must be a Discord id/],
    [{ DISCORD_TOKEN: TOKEN, MODERATOR_ROLE_IDS: "12,abc" }, /^MODERATOR_ROLE_IDS must be/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: "ftp://x" }, /^DISCORD_API_URL must be an http/],
    [{ DISCORD_TOKEN: TOKEN, ASK_COOLDOWN_SECONDS: "-1" }, /^ASK_COOLDOWN_SECONDS must be/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_CONNECT_ATTEMPTS: "0" }, /^DISCORD_CONNECT_ATTEMPTS must be a whole number/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_CONNECT_ATTEMPTS: "2.5" }, /^DISCORD_CONNECT_ATTEMPTS must be/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_CONNECT_BACKOFF_MS: "fast" }, /^DISCORD_CONNECT_BACKOFF_MS must be/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_READY_TIMEOUT_MS: "50" }, /^DISCORD_READY_TIMEOUT_MS must be .* from 100 to/],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL must be one of/],
  ])("refuses %o with one line naming the variable", (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: "ConfigError", message: expect.stringMatching(message) });
    expect((error as Error).message).not.toContain("\n");
    expect((error as Error).message).not.toContain(TOKEN);
  });
});

describe("loadConfig: models", () => {
  it("is offline by default: no answer model and the local embedder", () => {
    const c = loadConfig({}, "/srv/passage");
    expect(c.llm).toBeNull();
    expect(c.embeddings).toEqual({ provider: "local" });
    expect(c.secrets).toEqual([]);
  });

  it("takes an OpenAI-compatible server from LLM_BASE_URL alone, with the default timeout", () => {
    const c = loadConfig({ LLM_BASE_URL: "http://127.0.0.1:8000/v1/", LLM_MODEL: "qwen2.5" });
    expect(c.llm).toEqual({
      provider: "openai",
      baseUrl: "http://127.0.0.1:8000/v1",
      model: "qwen2.5",
      apiKey: null,
      timeoutMs: 20_000,
    });
  });

  it("keeps both API keys as secrets, and reads Ollama for both roles", () => {
    const c = loadConfig({
      LLM_PROVIDER: "OLLAMA",
      LLM_TIMEOUT_MS: "5000",
      LLM_API_KEY: "sk-chat-secret",
      EMBEDDINGS_PROVIDER: "openai",
      EMBEDDINGS_API_KEY: "sk-embed-secret",
    });
    expect(c.llm).toMatchObject({ provider: "ollama", model: "llama3.2", timeoutMs: 5000 });
    expect(c.embeddings).toMatchObject({ provider: "openai", model: "text-embedding-3-small", baseUrl: null });
    expect(c.secrets).toEqual(["sk-chat-secret", "sk-embed-secret"]);
  });

  it.each([
    [{ LLM_PROVIDER: "gemini" }, /^LLM_PROVIDER must be one of openai, ollama \(got "gemini"\)\.$/],
    [{ LLM_BASE_URL: "localhost:11434" }, /^LLM_BASE_URL must be an http\(s\) URL/],
    [{ LLM_BASE_URL: "http://127.0.0.1:1", LLM_TIMEOUT_MS: "soon" }, /^LLM_TIMEOUT_MS must be a whole number/],
    [{ LLM_PROVIDER: "openai" }, /^LLM_PROVIDER=openai needs LLM_API_KEY/],
    [{ LLM_MODEL: "gpt-4o" }, /^LLM_MODEL is set but no model server is/],
    [{ EMBEDDINGS_PROVIDER: "openai" }, /^EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY/],
    [{ EMBEDDINGS_PROVIDER: "cohere" }, /^EMBEDDINGS_PROVIDER must be one of local, openai, ollama/],
  ])("rejects %o with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("never puts a key into an error message", () => {
    try {
      loadConfig({ LLM_API_KEY: "sk-very-secret", LLM_TIMEOUT_MS: "-1" });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("sk-very-secret");
    }
  });
});

describe("createLogger", () => {
  it("writes one JSON object per line with time, level and event, and redacts secrets", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "info", write: (l) => void lines.push(l), secrets: [TOKEN] });
    log.debug("hidden");
    log.info("login", { header: `Bot ${TOKEN}`, error: new Error(`bad ${TOKEN}`) });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({
      level: "info",
      event: "login",
      header: "Bot [redacted]",
      error: { name: "Error", message: "bad [redacted]" },
    });
    expect(Date.parse(entry.time)).not.toBeNaN();
    expect(lines[0]).not.toContain(TOKEN);
  });
});

describe("loadConfig: shared state", () => {
  it("keeps SQLite by default and reads DATABASE_URL, keeping it and its password secret", () => {
    expect(loadConfig({}, "/srv/passage").database).toBeNull();
    const config = loadConfig(
      { DATABASE_URL: "postgres://passage:s%40cret@db.internal:5432/passage", CORPUS_POLL_SECONDS: "5" },
      "/srv/passage",
    );
    expect(config.database).toEqual({
      url: "postgres://passage:s%40cret@db.internal:5432/passage",
      corpusPollSeconds: 5,
      connectAttempts: 8,
    });
    expect(config.secrets).toEqual(
      expect.arrayContaining(["postgres://passage:s%40cret@db.internal:5432/passage", "s@cret"]),
    );
  });

  it("refuses a DATABASE_URL that is not a postgres:// URL, or a bad poll interval, in one line", () => {
    for (const url of ["mysql://x@y/z", "postgres://", "localhost:5432"])
      expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/^DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://h/db", DATABASE_CONNECT_ATTEMPTS: "0" })).toThrow(
      /^DATABASE_CONNECT_ATTEMPTS must be a whole number from 1 to 100/,
    );
    expect(() => loadConfig({ DATABASE_URL: "postgres://h/db", CORPUS_POLL_SECONDS: "0" })).toThrow(
      /^CORPUS_POLL_SECONDS must be a whole number of seconds from 1 to 3600/,
    );
  });
});
