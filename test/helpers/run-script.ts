import { spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** What a script run printed and how it ended. */
export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `scripts/<name>.ts` through tsx as a person would, from the repository root, with only
 * `env` (plus PATH and HOME) in its environment and `input` on stdin. Never rejects.
 */
export function runScript(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input = "",
): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [join(ROOT, "scripts", `${name}.ts`), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
