/**
 * `npm run reindex` with EMBEDDINGS_PROVIDER=openai (and ollama) as a real child process
 * against the loopback fake model server: it builds, a second run after an edit embeds only the
 * changed passage, and a run killed halfway resumes without paying twice (the fake counts
 * what it embedded).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeModelServer, refusedUrl, startFakeModelServer } from "../../../scripts/lib/fake-model/index.js";

const ROOT = new URL("../../..", import.meta.url).pathname;
const SEED = join(ROOT, "corpus");
let fake: FakeModelServer;
let root: string;
let corpusDir: string;
let dataDir: string;

beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  root = await mkdtemp(join(tmpdir(), "passage-reindex-remote-"));
  corpusDir = join(root, "corpus");
  dataDir = join(root, "data");
  await cp(SEED, corpusDir, { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The script in one process (node with tsx's loader), so a kill reaches the process doing the work. */
function reindex(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/reindex.ts"), "--json"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PASSAGE_CORPUS_DIR: corpusDir,
      PASSAGE_DATA_DIR: dataDir,
      EMBEDDINGS_PROVIDER: "openai",
      EMBEDDINGS_BASE_URL: fake.openaiBaseUrl,
      EMBEDDINGS_MODEL: "fake-embed",
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  child.stdin?.end();
  return { child, done };
}

async function summary(run: Run): Promise<Record<string, unknown>> {
  const r = await run.done;
  expect(r.stderr).not.toContain("Reindex failed");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Build requests only (the probe embeds one fixed text). */
const buildRequests = () => fake.embeddings.requests.filter((r) => !r.inputs.includes("dimension probe"));

describe("npm run reindex with a remote embedder", () => {
  it("builds, then after an edit embeds only the changed passage", async () => {
    const first = await summary(reindex({}));
    expect(first).toMatchObject({ embedder: "openai:fake-embed:d64", kind: "full", passages: 31 });
    expect(buildRequests().reduce((n, r) => n + r.inputs.length, 0)).toBe(31);
    const file = join(corpusDir, "blinken-china-visit.md");
    await writeFile(file, (await readFile(file, "utf8")).replace("Meeting started with", "The meeting opened with"));
    fake.reset();
    const second = await summary(reindex({}));
    expect(second).toMatchObject({ kind: "incremental", embedded: 1 });
    expect(buildRequests().map((r) => r.inputs)).toEqual([[expect.stringContaining("The meeting opened with")]]);
  });

  it("resumes a run killed halfway, embedding only what it had not", async () => {
    const paragraphs = Array.from({ length: 200 }, (_, i) => `Dock ${i} loaded ${i * 3 + 1} barrels of oil at dawn.`);
    await writeFile(join(corpusDir, "docks.md"), `---\ntitle: "Docks"\n---\n${paragraphs.join("\n\n")}\n`);
    fake.embeddings.push({});
    fake.embeddings.reply({ delayMs: 250 });
    const killed = reindex({});
    // Two batches answered (each is on disk before the next is sent), the third in flight: kill.
    // (Counted over every request the fake recorded: its embeddings records come a moment later.)
    const embedRequests = () => fake.requests.filter((r) => r.path === "/v1/embeddings").length;
    await fake.waitForRequest(() => embedRequests() >= 1 + 3, 15_000);
    killed.child.kill("SIGKILL");
    expect((await killed.done).signal).toBe("SIGKILL");
    const paid = buildRequests()
      .slice(0, 2)
      .reduce((n, r) => n + r.inputs.length, 0);
    expect(paid).toBe(128);
    expect(fake.embeddings.embeddedInputs).toBe(1 + paid);
    fake.reset();
    const resumed = await summary(reindex({}));
    expect(resumed).toMatchObject({ kind: "full", passages: 231 });
    expect(buildRequests().reduce((n, r) => n + r.inputs.length, 0)).toBe(231 - paid);
  });

  it("waits out a 429 with Retry-After and builds", async () => {
    fake.embeddings.push({}, { status: 429, retryAfterSeconds: 1 });
    const started = performance.now();
    expect(await summary(reindex({}))).toMatchObject({ passages: 31 });
    expect(performance.now() - started).toBeGreaterThan(1000);
    expect(fake.embeddings.count).toBe(3);
  });

  it("builds with Ollama too", async () => {
    const result = await summary(reindex({ EMBEDDINGS_PROVIDER: "ollama", EMBEDDINGS_BASE_URL: fake.ollamaBaseUrl }));
    expect(result).toMatchObject({ embedder: "ollama:fake-embed:d64", passages: 31 });
    expect(fake.embeddings.requests.every((r) => r.api === "ollama")).toBe(true);
  });

  it("exits 1 with one line when the server cannot be reached", async () => {
    const url = await refusedUrl();
    const r = await reindex({ EMBEDDINGS_BASE_URL: `${url}/v1` }).done;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("\r"));
    expect(lines).toEqual([
      expect.stringMatching(
        /^Reindex failed: The embeddings server \(openai model fake-embed at .*\) could not be used: connection refused/,
      ),
    ]);
  });
});
