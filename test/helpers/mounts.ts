import { execFileSync } from "node:child_process";

/**
 * Runs `mount` with `args`, returning false (with the reason) where this machine does not let
 * the test mount (not root, or no mount permission in the container): such tests are skipped.
 */
export function tryMount(args: readonly string[]): { ok: true } | { ok: false; why: string } {
  try {
    execFileSync("mount", args, { stdio: "pipe" });
    return { ok: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { ok: false, why: stderr || String(error) };
  }
}

/** Unmounts `path`, ignoring a path that is not mounted. */
export function unmount(path: string): void {
  try {
    execFileSync("umount", [path], { stdio: "pipe" });
  } catch {
    // not mounted (or already unmounted)
  }
}

/** Whether this process may mount at all: probed once with a throwaway tmpfs. */
export function canMount(probeDir: string): { ok: true } | { ok: false; why: string } {
  const result = tryMount(["-t", "tmpfs", "-o", "size=64k", "tmpfs", probeDir]);
  if (result.ok) unmount(probeDir);
  return result;
}
