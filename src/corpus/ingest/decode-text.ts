import { TextDecoder } from "node:util";
import { UserError } from "../../errors.js";
import { shownName } from "./shown-name.js";

/**
 * Decodes text bytes: in `charset` when the sender named one this runtime knows, else as
 * strict UTF-8. NUL bytes or bytes that are not valid in the encoding mean the file is binary
 * or damaged, refused with ARTICLE_BINARY rather than stored as mojibake.
 */
export function decodeText(bytes: Uint8Array, name: string, charset: string | null = null): string {
  // Windows editors save "Unicode" text as UTF-16 with a byte-order mark; its NUL bytes are not binary.
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : null;
  if (utf16 === null && bytes.includes(0)) throw binary(name);
  const encoding = utf16 ?? charset ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
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
