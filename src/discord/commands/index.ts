import type { Command, MessageCommand } from "../command.js";
import { askCommand } from "./ask.js";
import { askMessageCommand } from "./ask-message.js";
import { briefCommand } from "./brief.js";
import { briefScheduleCommand } from "./brief-schedule.js";
import { corpusCommand } from "./corpus.js";
import { forgetMeCommand } from "./forget-me.js";
import { gapsCommand } from "./gaps.js";
import { reindexCommand } from "./reindex.js";
import { statusCommand } from "./status.js";

/** Every slash command the bot serves and registers, by name. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    askCommand,
    briefCommand,
    briefScheduleCommand,
    reindexCommand,
    corpusCommand,
    statusCommand,
    gapsCommand,
    forgetMeCommand,
  ].map((c) => [c.data.name, c]),
);

/** Every message command (right-click a message → Apps), by name. */
export const MESSAGE_COMMANDS: ReadonlyMap<string, MessageCommand> = new Map(
  [askMessageCommand].map((c) => [c.data.name, c]),
);
