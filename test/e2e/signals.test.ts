/**
 * `npm start` as Docker, systemd and a shell stop it: SIGTERM or SIGINT, to npm or to its whole
 * process group, leaves no process behind within the drain limit plus 2 s, whatever state
 * Discord is in; and a gateway Discord closes for good makes the bot exit non-zero with the fix.
 * (A second instance left running would answer every interaction twice.)
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayCloseCodes } from "discord.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatInput, type FakeDiscord, startFakeDiscord } from "../../scripts/lib/loopback-discord/index.js";
import { DRAIN_MS } from "../../src/discord/bot.js";

const ROOT = new URL("../..", import.meta.url).pathname;
/** What the issue allows: the drain limit plus 2 s. */
const STOP_LIMIT_MS = DRAIN_MS + 2_000;
let fake: FakeDiscord;
let dataDir: string;
const started: Started[] = [];

interface Started {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

beforeAll(async () => {
  // One index for every test: each `npm start` then only opens it.
  dataDir = await mkdtemp(join(tmpdir(), "passage-signals-"));
  const reindex = run(["run", "--silent", "reindex"], {});
  expect((await reindex.exit).code).toBe(0);
}, 180_000);
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  // A test that failed half-way must not leave a bot running into the next one.
  for (const p of started.splice(0)) for (const pid of [...tree(p.child.pid ?? -1)].reverse()) kill(pid, "SIGKILL");
  await fake.close();
});

/** Runs npm with the loopback Discord configured, in its own process group (as a shell's job or a container). */
function run(npmArgs: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn("npm", npmArgs, {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PASSAGE_DATA_DIR: dataDir,
      DISCORD_TOKEN: fake?.token ?? "",
      DISCORD_API_URL: fake?.apiBase ?? "",
      ...env,
    },
  });
  let stderr = "";
  child.stdout.resume();
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const p = { child, stderr: () => stderr, exit };
  started.push(p);
  return p;
}

function startBot(env: NodeJS.ProcessEnv = {}): Started {
  return run(["start"], { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiBase, ...env });
}

/** `pid` and every process descended from it, parents first, read from /proc. */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we read
    }
    // The command name in parentheses may hold spaces; the parent id is the second field after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (p: number): void => {
    found.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return found;
}

/** A process's command line ("" once it has exited). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie answers signal 0 but is gone for every purpose here: it only awaits its parent.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readyBot(): Promise<{ bot: Started; pids: number[] }> {
  const bot = startBot();
  await waitFor(() => bot.stderr().includes('"event":"discord.ready"'), 60_000, "discord.ready");
  const pids = tree(bot.child.pid ?? -1);
  return { bot, pids };
}

/** Sends `signal` and resolves once none of `pids` is alive, or fails after the limit. */
async function stopWithin(pids: number[], send: () => void): Promise<number> {
  const sent = Date.now();
  send();
  await waitFor(() => pids.every((pid) => !alive(pid)), STOP_LIMIT_MS, `processes ${pids.join(", ")} to exit`);
  return Date.now() - sent;
}

describe("stopping npm start", () => {
  it.each([
    ["SIGTERM", "the npm process"],
    ["SIGTERM", "its process group"],
    ["SIGINT", "the npm process"],
    ["SIGINT", "its process group"],
  ] as const)(
    "%s to %s leaves no process behind within the drain limit + 2 s, and exits 0",
    async (signal, target) => {
      const { bot, pids } = await readyBot();
      // npm itself and the bot: anything more (a shell, a tsx launcher) would be one more process to
      // orphan. esbuild's service, which tsx starts when its cache is cold, is the bot's own child.
      expect(pids.filter((pid) => !commandLine(pid).includes("esbuild"))).toHaveLength(2);
      const npm = bot.child.pid ?? -1;
      await stopWithin(pids, () => kill(target === "the npm process" ? npm : -npm, signal));
      expect(await bot.exit).toEqual({ code: 0, signal: null });
      expect(bot.stderr()).toContain('"event":"discord.stopped"');
    },
    90_000,
  );

  it("finishes the reply in flight before exiting", async () => {
    const { bot, pids } = await readyBot();
    const { id } = fake.pushInteraction(
      chatInput({ name: "ask", options: { question: "Where was the meeting held?" } }),
    );
    await waitFor(
      () => bot.stderr().includes('"event":"interaction.start"') || fake.calls.length > 0,
      10_000,
      "the ask",
    );
    await stopWithin(pids, () => kill(-(bot.child.pid ?? -1), "SIGTERM"));
    expect(await bot.exit).toEqual({ code: 0, signal: null });
    const reply = await fake.waitForCall((c) => c.path.startsWith(`/interactions/${id}/`), 1000);
    expect(JSON.stringify(reply.body)).toContain("Diaoyutai State Guest House");
  }, 90_000);

  it("exits 0 in time while Discord never answers the login", async () => {
    // A loopback port that takes connections and never replies: the REST call at login hangs.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const bot = startBot({ DISCORD_API_URL: `http://127.0.0.1:${port}/api` });
      await waitFor(() => sockets.size > 0, 60_000, "the login request");
      const pids = tree(bot.child.pid ?? -1);
      await stopWithin(pids, () => kill(-(bot.child.pid ?? -1), "SIGTERM"));
      expect(await bot.exit).toEqual({ code: 0, signal: null });
      expect(bot.stderr()).toContain('"event":"process.stopping"');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 90_000);

  it("exits 0 in time when Discord has gone away mid-run", async () => {
    const { bot, pids } = await readyBot();
    await fake.close();
    await stopWithin(pids, () => kill(bot.child.pid ?? -1, "SIGTERM"));
    expect(await bot.exit).toEqual({ code: 0, signal: null });
  }, 90_000);
});

describe("a gateway Discord closes for good", () => {
  it("4004 at identify exits non-zero in under 10 s with one line naming the fix", async () => {
    fake.rejectIdentify(GatewayCloseCodes.AuthenticationFailed);
    const bot = startBot();
    await waitFor(() => fake.gatewayReceived.some((g) => g.op === 2), 60_000, "IDENTIFY");
    const identified = Date.now();
    const { code } = await bot.exit;
    expect(Date.now() - identified).toBeLessThan(10_000);
    expect(code).toBe(1);
    const lines = bot
      .stderr()
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("{"));
    expect(lines.at(-1)).toMatch(/^Discord rejected DISCORD_TOKEN at the gateway \(close 4004\); copy a fresh one/);
    expect(bot.stderr()).not.toContain(fake.token);
  }, 90_000);

  it("4014 while running exits non-zero in under 10 s with the fix", async () => {
    const { bot, pids } = await readyBot();
    const closed = Date.now();
    fake.closeGateway(GatewayCloseCodes.DisallowedIntents);
    await waitFor(() => pids.every((pid) => !alive(pid)), 10_000, "the bot to exit");
    expect(Date.now() - closed).toBeLessThan(10_000);
    expect((await bot.exit).code).toBe(1);
    expect(bot.stderr()).toMatch(/^Discord refused a privileged intent \(close 4014\); turn it on/m);
  }, 90_000);
});
