import { TextDecoder } from "node:util";
import { UserError } from "../../errors.js";
import { shownName } from "./shown-name.js";

/**
 * Decodes text bytes: in `charset` when the sender named one this runtime knows, else as
 * strict UTF-8. NUL bytes or bytes that are not valid in the encoding mean the file is binary
 * or damaged, refused with ARTICLE_BINARY rather than stored as mojibake.
 */
export function decodeText(bytes: Uint8Array, name: string, charset: string | null = null): string {
  if (bytes.includes(0)) throw binary(name);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? "utf-8", { fatal: true });
  } catch {
    // An unknown charset label: UTF-8 is what nearly every page is, and strict decoding still catches a wrong guess.
    decoder = new TextDecoder("utf-8", { fatal: true });
  }
  try {
    return decoder.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw binary(name);
  }
}

function binary(name: string): UserError {
  return new UserError(
    "ARTICLE_BINARY",
    `"${shownName(name)}" is not readable text (it looks binary or is not valid UTF-8): save it as UTF-8 text and try again.`,
  );
}
