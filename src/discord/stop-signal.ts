import type { Logger } from "../log.js";

/** The signals that ask the bot to stop: Ctrl-C, and what Docker, systemd and most managers send. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

export interface StopSignal {
  /** Resolves with the first SIGINT or SIGTERM. */
  readonly received: Promise<NodeJS.Signals>;
}

export interface StopSignalOptions {
  readonly logger: Logger;
  /**
   * After the first signal, the process exits 0 this long afterwards even if something (a
   * connection Discord never closes, a reply that never settles) still holds it open.
   */
  readonly hardExitMs: number;
}

/**
 * Listens for SIGINT and SIGTERM from now on. Later signals are absorbed: a signal to the
 * process group reaches both npm and the bot, and npm forwards its copy, so the bot commonly
 * gets two and must not let the second kill it mid-drain.
 */
export function listenForStop({ logger, hardExitMs }: StopSignalOptions): StopSignal {
  let stopping = false;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.info("process.signal_again", { signal });
        return;
      }
      stopping = true;
      // unref: a stop that finishes in time ends the process normally; this only ends one that cannot.
      setTimeout(() => {
        logger.warn("process.forced_exit", { afterMs: hardExitMs });
        process.exit(0);
      }, hardExitMs).unref();
      resolve(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
  return { received };
}
