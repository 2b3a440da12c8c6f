import { userInfo } from "node:os";
import { addFromPathOrUrl, corpusManager } from "../src/commands/corpus.js";
import type { Services } from "../src/commands/services.js";
import { compose } from "../src/compose.js";
import type { Actor } from "../src/curation/types.js";
import { errorMessage, UserError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { openStateStore } from "../src/store/open-state-store.js";
import type { StateStore } from "../src/store/types.js";
import { progressBar } from "../src/terminal/progress.js";
import { checkArguments, fail, startScript } from "./cli.js";
import { UsageError, wholeNumberFlag } from "./lib/command-line.js";
import { formatArticle, formatArticles, formatChange, formatLog } from "./lib/format-corpus.js";

const USAGE = `
Usage: npm run corpus -- <command> [--json]

Changes the corpus as /corpus does in Discord, through the same code: every change is saved
for undo (the last CORPUS_HISTORY, default 20, in PASSAGE_DATA_DIR/corpus-history), followed by
an incremental reindex (a failed reindex puts the corpus back as it was), and recorded in the
audit log PASSAGE_DATA_DIR/corpus-audit.sqlite under your OS user name.

Commands:
  add <path-or-url>   add an article from a .md, .txt, .html or .pdf file, or an http(s) link
                      (at most CORPUS_MAX_BYTES; links to private, loopback, link-local and
                      metadata addresses are refused unless CORPUS_FETCH_ALLOW_PRIVATE=1).
                      A file of the same name is replaced; the same text again is refused.
  list                the articles: title, file, passages, who added them and when
  show <article>      an article's front matter and first paragraph (by file name or title)
  remove <article>    remove an article (by file name or title)
  undo                revert the last change, whoever made it
  log [--limit N]     the audit log, newest first (default 20, at most 1000)

Options:
  --json      print the result as JSON
  --limit N   with log: how many changes to show
  -h, --help  show this help
`;

const COMMANDS = new Set(["add", "list", "show", "remove", "undo", "log"]);
/** How many arguments each command takes after its name. */
const ARITY: Record<string, number> = { add: 1, list: 0, show: 1, remove: 1, undo: 0, log: 0 };

const { values, positionals, config } = startScript(USAGE, {
  json: { type: "boolean" },
  limit: { type: "string" },
});
const request = checkArguments(() => {
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError("Give a command: add, list, show, remove, undo or log (see --help)");
  if (!COMMANDS.has(command)) throw new UsageError(`Unknown command "${command}" (see --help)`);
  const arity = ARITY[command] ?? 0;
  if (rest.length !== arity)
    throw new UsageError(
      arity === 0
        ? `${command} takes no argument (see --help)`
        : `${command} takes one argument: ${command === "add" ? "a path or a URL" : "an article"} (see --help)`,
    );
  if (values.limit !== undefined && command !== "log") throw new UsageError("--limit goes with log (see --help)");
  return { command, argument: rest[0] ?? "", limit: wholeNumberFlag("limit", values.limit, 1, 1000) };
});

// Warnings only (a rolled-back change, a rate limit): the result is the output.
const logger = createLogger({ level: "warn", secrets: config.secrets });
const user = userInfo().username;
const actor: Actor = { id: `os:${user}`, name: user };
const bar = progressBar(process.stderr);
const json = values.json === true;
const print = (text: string, data: unknown) => process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${text}\n`);

let services: Services;
let store: StateStore;
try {
  ({ services, store } = await compose({
    // PostgreSQL when DATABASE_URL is set (what the replicas share), else the SQLite files.
    store: await openStateStore(config, logger),
    paths: config,
    embeddings: config.embeddings,
    logger,
    index: "open-or-build",
    onProgress: bar.update,
    corpus: { historyLimit: config.corpusHistory },
  }));
} catch (error) {
  bar.done();
  fail(errorMessage(error), 1);
}
bar.done();

try {
  const corpus = corpusManager(services);
  const { command, argument } = request;
  if (command === "list") {
    const articles = await corpus.list();
    print(formatArticles(articles), articles);
  } else if (command === "show") {
    const article = await corpus.show(argument);
    print(formatArticle(article), article);
  } else if (command === "log") {
    const entries = await corpus.log(request.limit);
    print(formatLog(entries), entries);
  } else {
    const change =
      command === "add"
        ? await addFromPathOrUrl(services, argument, actor, config.ingest, bar.update)
        : command === "remove"
          ? await corpus.remove(argument, actor, bar.update)
          : await corpus.undo(actor, bar.update);
    bar.done();
    const { build, ...rest } = change;
    print(formatChange(change), {
      ...rest,
      build: { kind: build.kind, seconds: build.seconds, embedded: build.embedded, changes: build.changes },
    });
  }
} catch (error) {
  bar.done();
  fail(errorMessage(error), error instanceof UserError ? 2 : 1);
} finally {
  services.corpus?.close();
  await store.close();
}
