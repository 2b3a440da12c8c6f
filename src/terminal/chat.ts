import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { cleanQuestion } from "../commands/ask.js";
import { brief } from "../commands/brief.js";
import { describeBuild, describeProgress, reindex } from "../commands/reindex.js";
import type { Services } from "../commands/services.js";
import { status } from "../commands/status.js";
import { errorMessage, UserError } from "../errors.js";
import { formatStatus } from "./format.js";
import { formatBriefing } from "./format-briefing.js";
import { localUserId, logLocalAnswer } from "./log-answer.js";
import { askAndPrint } from "./stream-answer.js";

const HELP = `Ask a question about the articles, one per line ("what is this about?" gives an overview).
A line may follow up on the one before ("and what about Taiwan?"); the answer says how it was understood.
Commands:
  /new            forget the previous question: the next line starts afresh
  /brief [topic]  key points on a topic (or the whole corpus), each quoted and cited
  /status         what the index holds
  /reindex        rebuild the index from the corpus folder
  /help           this text
  /quit           leave (or press Ctrl-D)`;

/** How the chat logs its answers. */
export interface ChatOptions {
  /** Log each answer to `services.feedback` (default true; `npm start -- --no-log` turns it off). */
  readonly log?: boolean;
  /** Who is asking, hashed in the log (default: the operating system's user, see `localUserId`). */
  readonly userId?: string;
}

/**
 * The terminal chat: one question per line, over the same commands as Discord. Works with a
 * person at a keyboard (a prompt, a greeting) and with piped input (answers only). Each answer
 * is logged to the answer log, when there is one, unless `options.log` is false. Resolves when
 * input ends or the user quits.
 */
export async function runChat(
  services: Services,
  input: Readable,
  output: Writable,
  interactive: boolean,
  options: ChatOptions = {},
): Promise<void> {
  const asker = options.log === false ? null : { source: "terminal" as const, userId: options.userId ?? localUserId() };
  const rl = createInterface({ input, ...(interactive ? { output, prompt: "› " } : {}), terminal: interactive });
  const print = (text: string) => output.write(`${text}\n`);
  if (interactive) {
    const m = services.indexes.current.manifest;
    print(
      `Passage — ask about ${m.articleCount} article${m.articleCount === 1 ? "" : "s"} (${m.passageCount} passages). /help for commands.`,
    );
    rl.prompt();
  }
  // The question before, so "and what about Taiwan?" is understood after it; /new forgets it.
  let previous: string | null = null;
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "" && !interactive) continue;
    try {
      if (line === "/quit" || line === "/exit") break;
      else if (line === "/help") print(HELP);
      else if (line === "/status") print(formatStatus(await status(services)));
      else if (line === "/new") {
        previous = null;
        print("Starting afresh: the next question is not read as a follow-up.");
      } else if (line === "/brief" || line.startsWith("/brief "))
        print(formatBriefing(await brief(services, { topic: line.slice("/brief".length) })));
      else if (line === "/reindex")
        print(describeBuild(await reindex(services, (p) => interactive && print(describeProgress(p)))));
      else {
        if (!interactive) print(`Q: ${cleanQuestion(line)}`);
        const startedAt = performance.now();
        const answer = await askAndPrint(services, line, (text) => output.write(text), previous);
        if (asker) await logLocalAnswer(services, answer, asker, line, startedAt);
        if (answer.kind !== "overview") previous = answer.question;
      }
    } catch (error) {
      if (!(error instanceof UserError)) services.logger.error("chat.failed", { error });
      print(error instanceof UserError ? error.message : `Something went wrong: ${errorMessage(error)}`);
    }
    if (interactive) {
      print("");
      rl.prompt();
    } else print("");
  }
  rl.close();
}
