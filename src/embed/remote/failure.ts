/**
 * What a failed request to an embeddings server says, read from whatever the client threw: the
 * OpenAI SDK's `APIError` (`status`, `headers`), Ollama's `ResponseError` (`status_code`), or a
 * fetch failure whose `cause` chain holds the socket error (`code: "ECONNREFUSED"`) or our
 * timeout's `TimeoutError`.
 */

/** The HTTP status of a failed request, or null when none came back (connection refused, timeout). */
export function failureStatus(error: unknown): number | null {
  for (const e of causes(error)) {
    const status = field(e, "status") ?? field(e, "status_code") ?? field(field(e, "response"), "status");
    if (typeof status === "number") return status;
  }
  return null;
}

/** The Retry-After header on the error itself (the OpenAI SDK keeps the response's headers), or null. */
export function retryAfterHeader(error: unknown): string | null {
  const headers = field(error, "headers");
  if (headers instanceof Headers) return headers.get("retry-after");
  if (typeof headers === "object" && headers !== null) {
    const value = field(headers, "retry-after");
    return typeof value === "string" ? value : null;
  }
  return null;
}

/** A Retry-After value (seconds, or an HTTP date) in milliseconds from `now`, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * A short reason for a log line or a one-line error: "HTTP 500: …", "connection refused
 * (ECONNREFUSED)", "no answer within 30 s", or the error's own message.
 */
export function describeFailure(error: unknown, timeoutMs: number): string {
  const chain = [...causes(error)];
  if (chain.some((e) => field(e, "name") === "TimeoutError"))
    return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const status = failureStatus(error);
  const message = firstLine(field(error, "message"));
  if (status !== null) return `HTTP ${status}${message ? `: ${message.replace(/\.+$/, "")}` : ""}`;
  const code = chain
    .map((e) => field(e, "code"))
    .find((c): c is string => typeof c === "string" && /^E[A-Z]+$/.test(c));
  if (code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
  const said = (message ?? String(error)).replace(/\.+$/, "");
  if (code) return `${said} (${code})`;
  // The innermost cause is usually the one that says what happened ("fetch failed" → "bad port").
  const innermost = firstLine(field(chain.at(-1), "message"))?.replace(/\.+$/, "");
  return innermost && innermost !== said ? `${said} (${innermost})` : said;
}

function firstLine(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const line = value.trim().split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The error and its causes, outermost first (bounded, in case a chain loops). */
function* causes(error: unknown): Generator<unknown> {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && e !== undefined && e !== null; depth++) {
    yield e;
    e = field(e, "cause");
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
