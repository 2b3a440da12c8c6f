import { createHash } from "node:crypto";

/**
 * SHA-256 (hex) of an article's body with its form normalised (Unicode NFC, whitespace runs as
 * one space, ends trimmed), so re-wrapped lines or CRLF line endings still match, while any
 * change to the words does not.
 */
export function bodyChecksum(body: string): string {
  const normal = body.normalize("NFC").replace(/\s+/g, " ").trim();
  return createHash("sha256").update(normal).digest("hex");
}
