import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorMessage } from "../../../src/errors.js";
import type { ScalePlan } from "./arguments.js";
import { type BuildFigures, buildReplica, replicaFolders, type ServeFigures, serveReplica } from "./replica.js";

/**
 * Set to a JSON `ChildTask` when the script runs as one of its own children. Building and
 * serving each get a fresh process: memory node took while building is not given back to the
 * system, so a replica measured in the process that built its index would look heavier than
 * one started on a built index, as `npm start` is.
 */
export const SCALE_CHILD_ENV = "PASSAGE_SCALE_CHILD";

/** One step of one size, done in a child process. */
export type ChildTask =
  | { readonly step: "build"; readonly workDir: string; readonly passages: number; readonly seed: number }
  | { readonly step: "serve"; readonly workDir: string; readonly questions: number; readonly seed: number };

/** The figures of one size: its build, then a fresh replica serving it. */
export interface ScaleResult extends BuildFigures {
  readonly serve: ServeFigures;
}

/**
 * Measures one size: a child writes the corpus and builds the index in a temporary folder, a
 * second child opens it and answers, and the folder is removed whatever happens.
 */
export async function measureSize(script: string, passages: number, plan: ScalePlan): Promise<ScaleResult> {
  const workDir = await mkdtemp(join(tmpdir(), "passage-scale-"));
  try {
    const build = (await runChild(script, { step: "build", workDir, passages, seed: plan.seed })) as BuildFigures;
    const serve = (await runChild(script, {
      step: "serve",
      workDir,
      questions: plan.questions,
      seed: plan.seed,
    })) as ServeFigures;
    return { ...build, serve };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The child's side: does the task in the environment and returns its figures (to print as one JSON line). */
export async function runTask(task: ChildTask, seedArticle: string): Promise<BuildFigures | ServeFigures> {
  const folders = replicaFolders(task.workDir);
  return task.step === "build"
    ? await buildReplica(folders, task.passages, task.seed, seedArticle)
    : await serveReplica(folders, task.questions, task.seed);
}

/** Reads the task from the environment variable's value; anything else is a bug in the parent. */
export function parseTask(json: string): ChildTask {
  const task = JSON.parse(json) as ChildTask;
  if (task.step !== "build" && task.step !== "serve") throw new Error(`unknown ${SCALE_CHILD_ENV} step`);
  return task;
}

/** Runs `script` as a child doing `task` (with --expose-gc, so memory is read after a collection); its progress goes to our stderr. */
function runChild(script: string, task: ChildTask): Promise<unknown> {
  const args = [...process.execArgv, "--expose-gc", script];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, [SCALE_CHILD_ENV]: JSON.stringify(task) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the ${task.step} step failed (exit code ${code})`));
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(new Error(`the ${task.step} step printed no JSON (${errorMessage(error)})`));
      }
    });
  });
}
