import { UsageError } from "./lib/command-line.js";
import { parseFakeModelArguments } from "./lib/fake-model/cli-arguments.js";
import { type RecordedRequest, startFakeModelServer } from "./lib/fake-model/index.js";

const USAGE = `
Usage: npm run fake-model -- [--port 0] [--reply TEXT] [--delay-ms N] [--first-delay-ms N]
                             [--chat-fail SPEC] [--embed-fail SPEC] [--dimension 64] [--quiet]

Runs the loopback fake model server the tests use, on 127.0.0.1, until Ctrl-C: an
OpenAI-compatible API under /v1 (chat completions with and without streaming, embeddings,
models) and Ollama's under /api (chat, embed, tags, version). Point Passage at it to try
generated answers and remote embeddings without a model, and to see what it sends.

Embeddings are deterministic hashed bag-of-words vectors (similar texts get close vectors).
Chat requests all get the same reply, streamed word by word.

Options:
  --port N            port to listen on (default 0: a free one, printed at start)
  --reply TEXT        what every chat request gets (default: a fixed sentence citing [1]);
                      "quote" quotes the first two sentences of the first passage sent,
                      each cited [1] — a faithful model's stand-in for trying Passage
  --delay-ms N        pause between streamed words (default 0)
  --first-delay-ms N  pause before the first word (default 0)
  --chat-fail SPEC    fail every chat request instead: 500 (any status), 429:SECONDS
                      (with Retry-After), hang or malformed
  --embed-fail SPEC   the same for every embeddings request
  --dimension N       embedding dimension (default 64)
  --quiet             do not log each request on stderr
  -h, --help          show this help
`;

let options: ReturnType<typeof parseFakeModelArguments>;
try {
  options = parseFakeModelArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
if (options === null) {
  process.stdout.write(`${USAGE.trim()}\n`);
  process.exit(0);
}

const { log } = options;
const server = await startFakeModelServer({
  port: options.port,
  dimension: options.dimension,
  chat: options.chat,
  ...(options.embeddingsFailure ? { embeddings: options.embeddingsFailure } : {}),
  ...(log ? { onRequest: (request: RecordedRequest) => logRequest(request) } : {}),
}).catch((error: unknown) => {
  process.stderr.write(`cannot listen on 127.0.0.1:${options.port}: ${(error as Error).message}\n`);
  process.exit(1);
});

process.stdout.write(
  [
    `Fake model server on ${server.url} (Ctrl-C to stop)`,
    "OpenAI-compatible:",
    `  LLM_BASE_URL=${server.openaiBaseUrl} LLM_MODEL=fake-chat`,
    `  EMBEDDINGS_PROVIDER=openai EMBEDDINGS_BASE_URL=${server.openaiBaseUrl} EMBEDDINGS_MODEL=fake-embed`,
    "Ollama:",
    `  LLM_PROVIDER=ollama LLM_BASE_URL=${server.ollamaBaseUrl} LLM_MODEL=fake-chat`,
    `  EMBEDDINGS_PROVIDER=ollama EMBEDDINGS_BASE_URL=${server.ollamaBaseUrl} EMBEDDINGS_MODEL=fake-embed`,
    "",
  ].join("\n"),
);

/** One JSON line per request on stderr, like Passage's own logs; the body is summarised, not dumped. */
function logRequest(request: RecordedRequest): void {
  const body = (request.body ?? {}) as { model?: unknown; messages?: unknown; input?: unknown; stream?: unknown };
  const inputs = Array.isArray(body.input) ? body.input.length : body.input === undefined ? undefined : 1;
  const fields = {
    level: "info",
    event: "fake-model.request",
    method: request.method,
    path: request.path,
    model: body.model,
    stream: body.stream,
    messages: Array.isArray(body.messages) ? body.messages.length : undefined,
    inputs,
  };
  process.stderr.write(`${JSON.stringify(fields)}\n`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
