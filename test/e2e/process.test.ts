/**
 * The real programs, as `npm start` and `npm run register` run them, against the loopback
 * Discord: configuration from the environment, login, registration, an answered /ask, and a
 * clean exit on SIGTERM.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatInput, type FakeDiscord, startFakeDiscord } from "../../scripts/lib/loopback-discord/index.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
let fake: FakeDiscord;
let dataDir: string;

beforeEach(async () => {
  fake = await startFakeDiscord();
  dataDir = await mkdtemp(join(tmpdir(), "passage-proc-"));
});
afterEach(async () => {
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});

function start(
  file: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): {
  child: ChildProcessWithoutNullStreams;
  output: () => { stdout: string; stderr: string };
  exit: Promise<number | null>;
} {
  const child = spawn(TSX, [join(ROOT, file), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PASSAGE_DATA_DIR: dataDir,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiBase,
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output: () => ({ stdout, stderr }), exit };
}

describe("npm run register", () => {
  it("bulk-overwrites the guild's commands through the configured API and prints them", async () => {
    const p = start("scripts/register.ts", [], { DISCORD_GUILD_ID: "1310000000000000100" });
    expect(await p.exit).toBe(0);
    const put = await fake.waitForCall((c) => c.method === "PUT");
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/1310000000000000100/commands`);
    const body = put.body as {
      name: string;
      options?: { name: string; max_length?: number }[];
      default_member_permissions?: string;
    }[];
    expect(body.map((c) => c.name).sort()).toEqual([
      "Ask Passage",
      "ask",
      "brief",
      "brief-schedule",
      "corpus",
      "forget-me",
      "gaps",
      "reindex",
      "status",
    ]);
    expect(body.find((c) => c.name === "ask")?.options?.find((o) => o.name === "question")?.max_length).toBe(500);
    expect(body.find((c) => c.name === "reindex")?.default_member_permissions).toBe("32");
    expect(body.find((c) => c.name === "brief-schedule")?.default_member_permissions).toBe("32");
    expect(body.find((c) => c.name === "brief")?.options?.find((o) => o.name === "topic")?.max_length).toBe(200);
    expect(body.find((c) => c.name === "gaps")?.default_member_permissions).toBe("32");
    expect(p.output().stdout).toMatch(/Registered 9 commands in guild 1310000000000000100/);
    expect(p.output().stdout).toMatch(/^ {2}Apps → Ask Passage \(on a message\)$/m);
    expect(p.output().stdout + p.output().stderr).not.toContain(fake.token);
  });

  it("says in one line that DISCORD_TOKEN is missing", async () => {
    const p = start("scripts/register.ts", [], { DISCORD_TOKEN: "" });
    expect(await p.exit).toBe(2);
    expect(p.output().stderr.trim()).toMatch(/^DISCORD_TOKEN is not set/);
    expect(p.output().stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("npm start with DISCORD_TOKEN", () => {
  it("builds the index, logs in with the Guilds intent, answers /ask, and exits 0 on SIGTERM", async () => {
    const p = start("src/main.ts");
    const identify = await waitFor(() => fake.gatewayReceived.find((g) => g.op === 2), 30_000);
    expect((identify.d as { intents: number }).intents).toBe(1); // GatewayIntentBits.Guilds only
    await waitFor(() => (p.output().stderr.includes('"event":"discord.ready"') ? true : undefined), 30_000);

    const { id } = fake.pushInteraction(
      chatInput({ name: "ask", options: { question: "Where was the meeting held?" } }),
    );
    const reply = await fake.waitForCall((c) => c.path.startsWith(`/interactions/${id}/`), 5000);
    expect(JSON.stringify(reply.body)).toContain("Diaoyutai State Guest House");

    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
    const { stderr } = p.output();
    expect(stderr).not.toContain(fake.token);
    const events = stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { event: string; level: string; time: string });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(["discord.ready", "interaction.done", "process.stopping", "discord.stopped"]),
    );
    const done = events.find((e) => e.event === "interaction.done") as
      | { interactionId?: string; command?: string; latencyMs?: number }
      | undefined;
    expect(done).toMatchObject({ interactionId: id, command: "ask" });
    expect(typeof done?.latencyMs).toBe("number");
  });

  it("stops with one line when Discord rejects the token", async () => {
    const p = start("src/main.ts", [], { DISCORD_TOKEN: `${fake.token.slice(0, -4)}AAAA` });
    expect(await p.exit).toBe(1);
    const lines = p
      .output()
      .stderr.trim()
      .split("\n")
      .filter((l) => !l.startsWith("Indexed") && !l.startsWith("Changes"));
    expect(lines.at(-1)).toMatch(/Discord rejected DISCORD_TOKEN/);
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}
