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
    // parseArgs throws only for input it cannot read; its messages are one line.
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
}

/** `--name VALUE` as a whole number from `min` to `max`; undefined when the flag is absent. */
export function wholeNumberFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}" (see --help)`);
  return n;
}
