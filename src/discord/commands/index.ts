import type { Command } from "../command.js";
import { askCommand } from "./ask.js";
import { briefCommand } from "./brief.js";
import { briefScheduleCommand } from "./brief-schedule.js";
import { reindexCommand } from "./reindex.js";
import { statusCommand } from "./status.js";

/** Every slash command the bot serves and registers, by name. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [askCommand, briefCommand, briefScheduleCommand, reindexCommand, statusCommand].map((c) => [c.data.name, c]),
);
