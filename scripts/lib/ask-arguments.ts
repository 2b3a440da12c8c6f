import { UsageError } from "./command-line.js";

/** What `npm run ask` was asked to do. */
export interface AskArguments {
  /** The question, from the positional words; blank when questions come on standard input. */
  readonly question: string;
  readonly json: boolean;
  /** Read one question per line from standard input (JSON Lines out): --json and no question. */
  readonly stream: boolean;
}

/** Reads `npm run ask`'s flags and words; a blank question without --json is a `UsageError`. */
export function askArguments(
  values: { readonly json?: boolean | undefined },
  positionals: readonly string[],
): AskArguments {
  const question = positionals.join(" ");
  const json = values.json === true;
  if (!json && question.trim() === "")
    throw new UsageError('Give a question, e.g. npm run ask -- "What are the main issues?" (see --help)');
  return { question, json, stream: json && question.trim() === "" };
}
