import type { Attachment } from "discord.js";
import type { IncomingArticle } from "../../corpus/ingest/incoming-article.js";
import { errorMessage, UserError } from "../../errors.js";

/** How an attachment is downloaded. */
export interface AttachmentLimits {
  /** Larger files are refused, before downloading when Discord's size says so, else while reading (CORPUS_MAX_BYTES). */
  readonly maxBytes: number;
  /** The download is abandoned after this long. */
  readonly timeoutMs: number;
  /**
   * Origins besides Discord's CDN that attachments may come from: the loopback Discord's in
   * tests (DISCORD_API_URL's origin). Production leaves it empty.
   */
  readonly extraOrigins?: readonly string[];
}

/** Where Discord serves attachments from. */
const DISCORD_CDN_HOSTS = new Set(["cdn.discordapp.com", "media.discordapp.net"]);

/**
 * Downloads a file a moderator attached to `/corpus add`, with the size limit applied while
 * streaming.
 *
 * Why not through `fetchArticle` and its address rule: the URL is not one a member typed. It
 * arrives in the interaction Discord signed, and points at Discord's own CDN, so instead of
 * resolving and vetting addresses this accepts only `https://cdn.discordapp.com` and
 * `https://media.discordapp.net` (and, in tests, the loopback Discord's origin), without
 * following redirects. Anything else is refused as an attachment the bot will not fetch.
 */
export async function downloadAttachment(attachment: Attachment, limits: AttachmentLimits): Promise<IncomingArticle> {
  const tooLarge = () =>
    new UserError(
      "ARTICLE_TOO_LARGE",
      `${attachment.name} is larger than the ${formatBytes(limits.maxBytes)} an article may be.`,
    );
  if (attachment.size > limits.maxBytes) throw tooLarge();
  const url = new URL(attachment.url);
  const fromDiscord = url.protocol === "https:" && DISCORD_CDN_HOSTS.has(url.hostname);
  if (!fromDiscord && !(limits.extraOrigins ?? []).includes(url.origin))
    throw new UserError("FETCH_ADDRESS", `${attachment.name} is not on Discord's CDN, so it was not downloaded.`);
  let response: Response;
  try {
    response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    throw new UserError("FETCH_FAILED", `Discord did not send ${attachment.name}: ${errorMessage(error)}.`, {
      cause: error,
    });
  }
  if (!response.ok || !response.body)
    throw new UserError("FETCH_STATUS", `Discord answered ${response.status} for ${attachment.name}; try again.`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      // Discord's size is checked above, but the body is what counts.
      if (size > limits.maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError("FETCH_FAILED", `Downloading ${attachment.name} failed: ${errorMessage(error)}.`, {
      cause: error,
    });
  }
  return {
    name: attachment.name,
    // A fresh array: a small Buffer is a view into Node's shared pool, and a PDF reader that
    // takes the underlying ArrayBuffer would read the pool instead of the file.
    bytes: new Uint8Array(Buffer.concat(chunks)),
    contentType: attachment.contentType ?? response.headers.get("content-type"),
    sourceUrl: null,
  };
}

/** "5 MB", "512 KB" */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
