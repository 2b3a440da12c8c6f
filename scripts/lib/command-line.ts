import { type ParseArgsConfig, parseArgs } from "node:util";

/** The flags a script accepts, as `node:util` `parseArgs` takes them. */
export type Flags = NonNullable<ParseArgsConfig["options"]>;

/** The values `parseArgs` reads for `T`. */
export type FlagValues<T extends Flags> = ReturnType<
  typeof parseArgs<{ options: T; allowPositionals: true }>
>["values"];

/** Bad input on the command line: the script prints this one-line reason and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Reads a script's arguments: its flags plus `--help`/`-h`, and positionals when allowed.
 * Pure, so each script's handling of its arguments is tested without starting a process.
 * Throws a `UsageError` for an unknown flag, a missing value or an unexpected positional.
 */
export function parseCommandLine<T extends Flags>(
  args: readonly string[],
  flags: T,
  allowPositionals = true,
): { help: boolean; values: FlagValues<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...flags, help: { type: "boolean", short: "h" } },
      allowPositionals,
      strict: true,
    });
    const values = parsed.values as FlagValues<T> & { help?: boolean };
    return { help: values.help === true, values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(`${oneLine(error instanceof Error ? error.message : String(error))} (see --help)`);
  }
}

/**
 * parseArgs's reason in one line. Its message for a value starting with a dash (`--points -1`)
 * runs to three lines; that one is rewritten to say what to type instead.
 */
function oneLine(message: string): string {
  const ambiguous = /^Option '(-[^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value; for one that starts with a dash, write ${ambiguous[1]}=-…`;
  return message.replace(/\s*\n\s*/g, " ");
}

/** `--name VALUE` as a whole number from `min` to `max`; undefined when the flag is absent. */
export function wholeNumberFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}" (see --help)`);
  return n;
}
