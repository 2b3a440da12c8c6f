/**
 * docker-compose.yml, checked without Docker (the project's machine has none): parsed as
 * Compose reads it (YAML merge keys on), its `${VAR}` references filled in as Compose does from
 * .env, and each replica's environment given to the real configuration loader. What matters:
 * the replicas share one PostgreSQL, cover every shard exactly once, and keep their index
 * replicas apart.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config.js";

const COMPOSE_FILE = fileURLToPath(new URL("../../docker-compose.yml", import.meta.url));
const DOCKERFILE = fileURLToPath(new URL("../../Dockerfile", import.meta.url));

/** What an operator's .env holds for the interpolation (a token of the right shape, a password). */
const DOTENV: Readonly<Record<string, string>> = {
  DISCORD_TOKEN: "MTAxMjM0NTY3ODkwMTIz.GabcDE.0123456789abcdefghijklmnopqrstuvwxyzAB",
  POSTGRES_PASSWORD: "s3cret-pw",
};

interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly environment?: Record<string, string>;
  readonly env_file?: readonly { readonly path: string; readonly required?: boolean }[];
  readonly volumes?: readonly string[];
  readonly depends_on?: Record<string, { readonly condition: string }>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly stop_grace_period?: string;
}

interface ComposeFile {
  readonly services: Record<string, Service>;
  readonly volumes: Record<string, unknown>;
}

/**
 * Compose's interpolation: `${VAR}`, `${VAR:?message}` (an error when unset) and `${VAR:-default}`.
 * An unset required variable throws, as `docker compose up` stops with the message.
 */
function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::([?-])([^}]*))?\}/g,
    (_, name: string, kind?: string, arg?: string) => {
      const value = env[name];
      if (value !== undefined && value !== "") return value;
      if (kind === "?") throw new Error(`${name}: ${arg}`);
      return kind === "-" ? (arg ?? "") : "";
    },
  );
}

let text = "";
let compose: ComposeFile;
const bots = () => Object.entries(compose.services).filter(([name]) => name.startsWith("bot-"));

beforeAll(async () => {
  text = await readFile(COMPOSE_FILE, "utf8");
  compose = parse(interpolate(text, DOTENV), { merge: true }) as ComposeFile;
});

describe("docker-compose.yml", () => {
  it("runs PostgreSQL 18 with a health check and a named volume for its data", () => {
    const pg = compose.services.postgres;
    expect(pg?.image).toBe("postgres:18");
    expect(pg?.healthcheck?.test.join(" ")).toContain("pg_isready");
    const [volume, target] = (pg?.volumes?.[0] ?? "").split(":");
    expect(target).toBe("/var/lib/postgresql");
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it("runs two bot replicas built from the Dockerfile, each starting once PostgreSQL is healthy", () => {
    expect(bots().map(([name]) => name)).toEqual(["bot-0", "bot-1"]);
    for (const [, bot] of bots()) {
      expect(bot.build).toBe(".");
      expect(bot.depends_on?.postgres?.condition).toBe("service_healthy");
      expect(bot.env_file?.[0]?.path).toBe(".env");
      // Longer than the bot's own stop (12 s at most), so docker stop never cuts a reply short.
      expect(Number.parseInt(bot.stop_grace_period ?? "0", 10)).toBeGreaterThan(12);
    }
  });

  it("gives each replica SHARD_COUNT=2 and shard ids that together cover 0 and 1 exactly once", () => {
    const served: number[] = [];
    for (const [, bot] of bots()) {
      expect(bot.environment?.SHARD_COUNT).toBe("2");
      served.push(...(bot.environment?.SHARD_IDS ?? "").split(",").map(Number));
    }
    expect(served.sort()).toEqual([0, 1]);
    expect(compose.services["bot-0"]?.environment?.SHARD_IDS).toBe("0");
    expect(compose.services["bot-1"]?.environment?.SHARD_IDS).toBe("1");
  });

  it("points every replica at the postgres service with the password from .env", () => {
    for (const [, bot] of bots()) {
      const url = new URL(bot.environment?.DATABASE_URL ?? "");
      expect(url.protocol).toBe("postgres:");
      expect(url.hostname).toBe("postgres");
      expect(url.password).toBe(DOTENV.POSTGRES_PASSWORD);
      expect(url.pathname).toBe("/passage");
    }
    expect(compose.services.postgres?.environment?.POSTGRES_PASSWORD).toBe(DOTENV.POSTGRES_PASSWORD);
  });

  it("keeps each replica's index in a volume of its own, mounted where the Dockerfile puts the data", async () => {
    const dockerfile = await readFile(DOCKERFILE, "utf8");
    expect(dockerfile).toMatch(/ENV PASSAGE_DATA_DIR=\/data/);
    const volumes = bots().map(([, bot]) => {
      expect(bot.environment?.PASSAGE_DATA_DIR).toBe("/data");
      const [volume, target] = (bot.volumes?.[0] ?? "").split(":");
      expect(target).toBe("/data");
      return volume;
    });
    expect(new Set(volumes).size).toBe(volumes.length);
    for (const v of volumes) expect(Object.keys(compose.volumes)).toContain(v);
  });

  it("refuses to start without DISCORD_TOKEN or POSTGRES_PASSWORD in .env, naming the variable", () => {
    expect(() => interpolate(text, { POSTGRES_PASSWORD: "pw" })).toThrow(/DISCORD_TOKEN/);
    expect(() => interpolate(text, { DISCORD_TOKEN: DOTENV.DISCORD_TOKEN ?? "" })).toThrow(/POSTGRES_PASSWORD/);
  });

  it("gives each replica an environment the bot's configuration accepts", () => {
    for (const [, bot] of bots()) {
      const config = loadConfig({ ...bot.environment }, "/app");
      expect(config.discord?.token).toBe(DOTENV.DISCORD_TOKEN);
      expect(config.dataDir).toBe("/data");
    }
  });
});
