/** A step of a build, for progress bars and Discord status edits. */
export interface BuildProgress {
  readonly phase: "read" | "embed" | "graph" | "write";
  readonly done: number;
  readonly total: number;
}

/** Where a build reports its steps; absent when nobody listens. */
export type OnProgress = ((progress: BuildProgress) => void) | undefined;
