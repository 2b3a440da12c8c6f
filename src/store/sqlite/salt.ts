import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { PassageError } from "../../errors.js";

/** The salt that askers' ids are hashed with: made on first start, kept beside the answer log. */
export const FEEDBACK_SALT_FILE = "feedback.salt";

/** Reads the salt, or makes it (32 random bytes, hex, owner-only) when there is none. */
export function readOrMakeSalt(path: string): Buffer {
  try {
    // 'wx': two processes starting together cannot both write a salt; the loser reads the winner's.
    writeFileSync(path, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const hex = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{32,}$/i.test(hex))
    throw new PassageError(
      "FEEDBACK_DB",
      `The answer log's salt file ${path} is damaged; delete it with feedback.sqlite to start afresh.`,
    );
  return Buffer.from(hex, "hex");
}
