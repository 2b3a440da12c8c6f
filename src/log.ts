/** Log levels, quietest last. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Fields of a log event: anything JSON can hold. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A structured logger: one JSON object per line, with time, level and event. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go: stderr by default, keeping stdout for the program's output. */
  readonly write?: (line: string) => void;
  /** Values replaced by "[redacted]" wherever they appear. */
  readonly secrets?: readonly string[];
}

/** Creates a logger that drops events below `level` and never prints a secret. */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  const emit =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      let line = JSON.stringify({ time: new Date().toISOString(), level, event, ...serializable(fields) });
      for (const s of secrets) line = line.split(s).join("[redacted]");
      write(`${line}\n`);
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** Errors become their name, message and code (JSON.stringify would print `{}`). */
function serializable(fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) {
      const code = (v as { code?: unknown }).code;
      out[k] = {
        name: v.name,
        message: v.message,
        ...(code !== undefined ? { code } : {}),
        ...(v.stack ? { stack: v.stack.split("\n").slice(0, 6).join("\n") } : {}),
      };
    } else out[k] = v;
  }
  return out;
}

/** A logger that drops everything, for tools whose output is the point. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
