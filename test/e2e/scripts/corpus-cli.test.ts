/**
 * `npm run corpus` as a real child process over a temporary corpus and data folder: add from a
 * file and from a loopback link, list, show, remove, undo and log, through the same CorpusManager
 * the bot uses; bad input exits non-zero with one line and changes nothing.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../../..", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const USER = userInfo().username;
let root: string;
let corpusDir: string;
let dataDir: string;
let server: Server;
let base: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function corpus(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [join(ROOT, "scripts/corpus.ts"), ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PASSAGE_CORPUS_DIR: corpusDir,
        PASSAGE_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

const ARTICLE = `---
title: "Grain shipments through Tianjin"
author: "A. Writer"
---
Grain shipments through the port of Tianjin doubled after the agreement was signed.

Inspectors from both countries now check every cargo at the quay.
`;

const LINKED = `# Fishing rights in the Yellow Sea

Fishing rights in the Yellow Sea were the last item on the agenda, and no agreement was reached.
`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "passage-corpus-cli-"));
  corpusDir = join(root, "corpus");
  dataDir = join(root, "data");
  await cp(join(ROOT, "corpus"), corpusDir, { recursive: true });
  await writeFile(join(root, "tianjin.md"), ARTICLE);
  await writeFile(join(root, "empty.md"), "---\ntitle: Nothing\n---\n");
  server = createServer((request, response) => {
    if (request.url === "/fishing.md") {
      response.writeHead(200, { "content-type": "text/markdown; charset=utf-8" });
      response.end(LINKED);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

// Each run is a process that starts tsx and opens the index: seconds apiece on a small machine.
describe("npm run corpus", { timeout: 90_000 }, () => {
  it("explains itself with --help, and refuses bad input in one line", async () => {
    const help = await corpus(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run corpus -- <command>/);
    const cases = [
      [[], "Give a command: add, list, show, remove, undo or log (see --help)"],
      [["frobnicate"], 'Unknown command "frobnicate" (see --help)'],
      [["add"], "add takes one argument: a path or a URL (see --help)"],
      [["list", "--limit", "3"], "--limit goes with log (see --help)"],
    ] as const;
    const runs = await Promise.all(cases.map(([args]) => corpus([...args])));
    runs.forEach((r, i) => {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`${cases[i]?.[1]}\n`);
    });
  });

  it("adds a file, lists, shows and logs it under the OS user; the same text again is refused", async () => {
    const added = await corpus(["add", join(root, "tianjin.md")]);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout.split("\n")[0]).toMatch(/^Added "Grain shipments through Tianjin" \(.+\.md\): 2 passages\.$/);

    const list = JSON.parse((await corpus(["list", "--json"])).stdout) as { source: string; addedBy: string | null }[];
    const row = list.find((a) => a.addedBy !== null);
    expect(row?.addedBy).toBe(USER);
    expect(list).toHaveLength(2);

    const shown = await corpus(["show", "Grain shipments through Tianjin"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("author: A. Writer");
    expect(shown.stdout).toContain("Grain shipments through the port of Tianjin doubled");

    const again = await corpus(["add", join(root, "tianjin.md")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^This article is already in the corpus as "Grain shipments through Tianjin" .*\n$/);

    const log = JSON.parse((await corpus(["log", "--json"])).stdout) as {
      action: string;
      actor: { name: string };
      origin: string;
    }[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: "add", actor: { id: `os:${USER}`, name: USER }, origin: "tianjin.md" });
  });

  it("refuses a missing file and an empty article, changing nothing", async () => {
    const before = await readdir(corpusDir);
    const missing = await corpus(["add", join(root, "nope.md")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`Cannot read ${join(root, "nope.md")}: no such file.\n`);
    const empty = await corpus(["add", join(root, "empty.md")]);
    expect(empty.code).toBe(2);
    expect(empty.stderr.split("\n")).toHaveLength(2);
    expect(await readdir(corpusDir)).toEqual(before);
  });

  it("refuses a loopback link while the address rule is on, and fetches it when CORPUS_FETCH_ALLOW_PRIVATE=1", async () => {
    const refused = await corpus(["add", `${base}/fishing.md`]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split("\n")).toHaveLength(2);
    expect(refused.stderr).toMatch(/private|loopback|address/i);

    const added = await corpus(["add", "--json", `${base}/fishing.md`], { CORPUS_FETCH_ALLOW_PRIVATE: "1" });
    expect(added.code).toBe(0);
    const change = JSON.parse(added.stdout) as { action: string; title: string; passages: number; source: string };
    expect(change).toMatchObject({ action: "add", title: "Fishing rights in the Yellow Sea", passages: 1 });
    const log = JSON.parse((await corpus(["log", "--json", "--limit", "1"])).stdout) as { origin: string }[];
    expect(log[0]?.origin).toBe(`${base}/fishing.md`);
  });

  it("removes an article by title, undoes that, and undoes the adds", async () => {
    const removed = await corpus(["remove", "Fishing rights in the Yellow Sea"]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Removed "Fishing rights in the Yellow Sea"/);
    const undone = await corpus(["undo"]);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(
      /^Undid the last change \(remove of .+\); "Fishing rights in the Yellow Sea" now has 1 passage\./,
    );

    expect((await corpus(["undo"])).code).toBe(0);
    expect((await corpus(["undo"])).code).toBe(0);
    const nothing = await corpus(["undo"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe("There is no change to undo.\n");
    expect(await readdir(corpusDir)).toEqual(["blinken-china-visit.md"]);
    expect(existsSync(join(dataDir, "corpus-audit.sqlite"))).toBe(true);
    const log = (await corpus(["log"])).stdout.trim().split("\n");
    expect(log).toHaveLength(6);
    expect(log[0]).toMatch(new RegExp(`^#6 \\S+ ${USER} undo \\S+ from change #1 \\(add\\)`));
  });
});
