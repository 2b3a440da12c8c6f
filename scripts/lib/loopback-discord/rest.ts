/**
 * The REST half of the loopback Discord: reads each request under `/api/v10/…` as Discord
 * would (JSON, or multipart with `payload_json` and files), checks the bot token where Discord
 * does, answers through the route table (or an injected failure), and records every request
 * with its answer so tests can assert on what the bot sent.
 *
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { RESTJSONErrorCodes } from "discord.js";
import type { RecordedFile } from "./messages.js";

/** A Discord JSON error body: `{ message, code }` plus, for form errors, `errors`. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: unknown;
}

/** Error bodies Discord answers with, for {@link FakeRest.failNext} and the fake's own routes. */
export const DISCORD_ERRORS = {
  /** 404: the interaction does not exist or its 3-second window has passed. */
  unknownInteraction: { message: "Unknown interaction", code: RESTJSONErrorCodes.UnknownInteraction },
  /** 400: a second callback was posted for the same interaction. */
  alreadyAcknowledged: {
    message: "Interaction has already been acknowledged.",
    code: RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
  },
  /** 404: no webhook (interaction token) with that id and token. */
  unknownWebhook: { message: "Unknown Webhook", code: RESTJSONErrorCodes.UnknownWebhook },
  /** 404: the message (e.g. `@original` before any response) does not exist. */
  unknownMessage: { message: "Unknown Message", code: RESTJSONErrorCodes.UnknownMessage },
  /** 404: the channel does not exist. */
  unknownChannel: { message: "Unknown Channel", code: RESTJSONErrorCodes.UnknownChannel },
  /** 403: the bot cannot see the channel (or guild). */
  missingAccess: { message: "Missing Access", code: RESTJSONErrorCodes.MissingAccess },
  /** 400: the request body failed validation. */
  invalidFormBody: { message: "Invalid Form Body", code: RESTJSONErrorCodes.InvalidFormBodyOrContentType },
} as const satisfies Record<string, DiscordErrorBody>;

/** Discord's generic body for a status without a more specific error. */
export function genericErrorBody(status: number): DiscordErrorBody {
  const reasons: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
  };
  return { message: `${status}: ${reasons[status] ?? "Error"}`, code: 0 };
}

/** One REST request the fake received, with the status it answered. */
export interface RecordedCall {
  /** Upper-case HTTP method. */
  method: string;
  /**
   * The route without the `/api/v10` prefix, each segment URL-decoded: discord.js sends
   * `/webhooks/1/tok/messages/%40original`, this records `/webhooks/1/tok/messages/@original`.
   */
  path: string;
  headers: IncomingHttpHeaders;
  /**
   * The parsed body: JSON as-is; for multipart, the parsed `payload_json` part;
   * `undefined` for no body.
   */
  body: unknown;
  /** Files from a multipart body, in upload order. Empty for JSON requests. */
  files: RecordedFile[];
  /** The HTTP status the fake answered with. */
  status: number;
  /** `Date.now()` when the request finished arriving. */
  at: number;
}

/** A predicate over recorded calls. */
export type CallPredicate = (call: RecordedCall) => boolean;

/** What a route handler receives. */
export interface RouteRequest {
  /** The named groups of the route's pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

/** A route's answer: a status and, unless 204, a JSON body. */
export interface RouteResult {
  status: number;
  body?: unknown;
}

/** One REST route of Discord's that the bot calls. */
export interface Route {
  method: string;
  /** Matched against the decoded path; named groups become `params`. */
  pattern: RegExp;
  /** Whether it requires `Authorization: Bot <token>`; interaction callbacks and webhooks do not. */
  auth: boolean;
  handle(request: RouteRequest): RouteResult;
}

/** A JSON answer. */
export function ok(body: unknown, status = 200): RouteResult {
  return { status, body };
}

/** An error answer with Discord's body. */
export function fail(status: number, body: DiscordErrorBody): RouteResult {
  return { status, body };
}

interface Failure {
  route: RegExp;
  status: number;
  body: unknown;
  remaining: number;
}

interface Waiter {
  predicate: CallPredicate;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Serves and records REST requests; attach {@link FakeRest.handle} to an HTTP server's "request". */
export class FakeRest {
  readonly calls: RecordedCall[] = [];
  private readonly failures: Failure[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly routes: readonly Route[],
    private readonly token: string,
  ) {}

  /** Answers one HTTP request and records it. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const method = (request.method ?? "GET").toUpperCase();
    // @discordjs/rest builds `${api}/v10${route}`, and Routes.* encode each parameter.
    const prefix = /^\/api\/v10(?=\/|$)/.exec(url.pathname);
    const path = decodePath(prefix ? url.pathname.slice(prefix[0].length) : url.pathname);

    let body: unknown;
    let files: RecordedFile[] = [];
    let result: RouteResult;
    try {
      ({ body, files } = await parseBody(request.headers["content-type"], raw));
      result = prefix
        ? this.answer(method, path, { query: url.searchParams, body, files }, request.headers)
        : fail(404, genericErrorBody(404));
    } catch {
      body = raw.toString("utf8");
      result = fail(400, {
        message: "The request body contains invalid JSON.",
        code: RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
      });
    }
    this.record({ method, path, headers: request.headers, body, files, status: result.status, at: Date.now() });

    if (result.body === undefined) {
      response.writeHead(result.status);
      response.end();
    } else {
      response.writeHead(result.status, { "content-type": "application/json" });
      response.end(JSON.stringify(result.body));
    }
  }

  /**
   * Resolves with the first recorded call matching `predicate`, including calls recorded
   * before; rejects after `timeoutMs` with a list of what was recorded instead.
   */
  waitForCall(predicate: CallPredicate, timeoutMs = 2000): Promise<RecordedCall> {
    const existing = this.calls.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.calls.map((call) => `  ${call.method} ${call.path} → ${call.status}`).join("\n");
          reject(new Error(`waitForCall: no matching call within ${timeoutMs} ms. Recorded:\n${seen || "  (none)"}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Makes the next `times` requests whose `"METHOD /path"` matches `route` fail with `status`
   * and `body` (default: Discord's generic body for the status). A failed request changes no
   * state and is still recorded. @discordjs/rest retries a 5xx three times, so a request only
   * rejects (with an `HTTPError`) if `times >= 4`.
   */
  failNext(
    route: RegExp,
    status: number,
    body: unknown = genericErrorBody(status),
    { times = 1 }: { times?: number } = {},
  ): void {
    // A /g or /y regex would make test() stateful across requests.
    const stateless = new RegExp(route.source, route.flags.replace(/[gy]/g, ""));
    this.failures.push({ route: stateless, status, body, remaining: times });
  }

  /** Rejects every pending `waitForCall`. */
  close(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error("fake Discord closed"));
    }
    this.waiters.clear();
  }

  private answer(
    method: string,
    path: string,
    request: Omit<RouteRequest, "params">,
    headers: IncomingHttpHeaders,
  ): RouteResult {
    const failure = this.failures.find((f) => f.route.test(`${method} ${path}`));
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return { status: failure.status, body: failure.body };
    }
    for (const route of this.routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (!match) continue;
      if (route.auth && headers.authorization !== `Bot ${this.token}`) return fail(401, genericErrorBody(401));
      try {
        return route.handle({ ...request, params: { ...match.groups } });
      } catch (error) {
        // A bug in the fake: answer 500 so the test fails at once instead of waiting out the
        // client's 15 s request timeout.
        console.error("fake-discord route error:", error);
        return { status: 500, body: { message: `fake-discord bug: ${String(error)}`, code: 0 } };
      }
    }
    return fail(404, genericErrorBody(404));
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of this.waiters) {
      let matched: boolean;
      try {
        matched = waiter.predicate(call);
      } catch (error) {
        // A throwing predicate fails its own wait, not the request being served.
        matched = false;
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (!matched) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(call);
    }
  }
}

/** Splits a path and URL-decodes each segment (`%40original` → `@original`). */
function decodePath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk instanceof Buffer ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * Parses a body as Discord would: JSON, or multipart/form-data whose `payload_json` part
 * carries the JSON and whose `files[n]` parts the uploads (parsed by the platform's
 * `Response#formData()`, not by hand).
 */
async function parseBody(
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = contentType ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": type } }).formData();
    const files: RecordedFile[] = [];
    let payload: unknown;
    for (const [field, value] of form) {
      if (typeof value === "string") {
        if (field === "payload_json") payload = JSON.parse(value) as unknown;
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, contentType: value.type, data, text: data.toString("utf8") });
      }
    }
    return { body: payload, files };
  }
  const text = raw.toString("utf8");
  return { body: type.startsWith("application/json") ? (JSON.parse(text) as unknown) : text, files: [] };
}
