import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorMessage } from "../../../src/errors.js";
import type { BenchPlan } from "./arguments.js";
import { type BenchResult, measure } from "./measure.js";

/**
 * Each size is measured in a process of its own, so sizes share no memory or caches: the
 * parent runs the bench script again with this variable set, and reads one JSON line back.
 */
export const CHILD_ENV = "PASSAGE_BENCH_CHILD";

/** The arguments that make the bench script measure `passages` with the plan's parameters. */
export function childArguments(passages: number, plan: BenchPlan): string[] {
  const args = [
    "--passages",
    String(passages),
    "--m",
    String(plan.hnsw.m),
    "--ef-construction",
    String(plan.hnsw.efConstruction),
    "--ef-search",
    String(plan.hnsw.efSearch),
    "--questions",
    String(plan.questions),
    "--seed",
    String(plan.seed),
  ];
  if (plan.dimension !== undefined) args.push("--dimension", String(plan.dimension));
  return args;
}

/**
 * Measures `passages` in a fresh child process running `script` (with --expose-gc, so the
 * built index can be freed before the load is measured); its progress goes to our stderr.
 */
export function measureInChild(script: string, passages: number, plan: BenchPlan): Promise<BenchResult> {
  const args = [...process.execArgv, "--expose-gc", script, ...childArguments(passages, plan)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, [CHILD_ENV]: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`measuring ${passages} passages failed (exit code ${code})`));
      try {
        resolve(JSON.parse(out) as BenchResult);
      } catch (error) {
        reject(new Error(`measuring ${passages} passages printed no JSON (${errorMessage(error)})`));
      }
    });
  });
}

/** The child's side: measures `passages` in a temporary folder, removed afterwards. */
export async function measureHere(
  passages: number,
  plan: BenchPlan,
  seedArticle: string,
  log: (line: string) => void,
): Promise<BenchResult> {
  const workDir = await mkdtemp(join(tmpdir(), "passage-bench-"));
  try {
    return await measure({
      passages,
      seed: plan.seed,
      hnsw: plan.hnsw,
      questions: plan.questions,
      workDir,
      seedArticle,
      log: (l) => log(`[${passages}] ${l}`),
      ...(plan.dimension !== undefined ? { dimension: plan.dimension } : {}),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
