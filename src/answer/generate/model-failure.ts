/**
 * Why a model call failed, in a few words for footers and logs. LangChain's clients surface
 * failures differently (checked against the loopback fake, scripts/lib/fake-model):
 *
 * | failure | ChatOpenAI | ChatOllama |
 * |---|---|---|
 * | 429, 5xx | `RateLimitError` / `InternalServerError` with `.status` | `ResponseError` with `.status_code` |
 * | refused | `APIConnectionError`, cause `TypeError` (fetch), its cause `code: "ECONNREFUSED"` | `TypeError`, cause `code: "ECONNREFUSED"` |
 * | broken stream | `SyntaxError` | `Error` ("Did not receive done…") |
 * | our timeout | `AbortError` | `AbortError` |
 *
 * So the reason is read from fields (`status`, `status_code`, `code`, the error's class name)
 * along the `cause` chain, never from message text, and falls back to the message's first line.
 */

/** Connection failures by their system error code. */
const CONNECTION_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  UND_ERR_SOCKET: "connection closed",
};

/** The error and its causes, outermost first (at most a few: causes can loop). */
function chain(error: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let e: unknown = error;
  while (typeof e === "object" && e !== null && out.length < 6 && !out.includes(e as Record<string, unknown>)) {
    out.push(e as Record<string, unknown>);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/**
 * A short reason a model call failed: "timed out after 20000 ms", "rate limited (429)",
 * "server error (500)", "connection refused", "malformed reply", or the error's first line.
 */
export function failureReason(
  error: unknown,
  call: { readonly timedOut: boolean; readonly timeoutMs: number },
): string {
  const errors = chain(error);
  // The client's own timeout (`timeout`, the same length) may fire a moment before our abort.
  if (
    call.timedOut ||
    errors.some((e) => e.name === "TimeoutError" || e.constructor?.name === "APIConnectionTimeoutError")
  )
    return `timed out after ${call.timeoutMs} ms`;
  for (const e of errors) {
    const status = typeof e.status === "number" ? e.status : typeof e.status_code === "number" ? e.status_code : null;
    if (status === 429) return "rate limited (429)";
    if (status !== null && status >= 500) return `server error (${status})`;
    if (status !== null) return `refused the request (${status})`;
  }
  for (const e of errors) {
    const reason = typeof e.code === "string" ? CONNECTION_CODES[e.code] : undefined;
    if (reason !== undefined) return reason;
  }
  if (errors.some((e) => e instanceof SyntaxError)) return "malformed reply";
  if (errors.some((e) => e.name === "AbortError")) return "aborted";
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n")[0] ?? "").slice(0, 120) || "unknown error";
}
