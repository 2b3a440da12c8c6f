import { ApplicationCommandType } from "discord.js";
import { COMMANDS, MESSAGE_COMMANDS } from "../src/discord/commands/index.js";
import { registerCommands } from "../src/discord/register.js";
import { errorMessage } from "../src/errors.js";
import { fail, startScript } from "./cli.js";

const USAGE = `
Usage: npm run register

Registers Passage's slash commands (${[...COMMANDS.keys()].map((n) => `/${n}`).join(", ")}) and its
message commands (${[...MESSAGE_COMMANDS.keys()].map((n) => `“${n}”`).join(", ")}) with Discord, replacing
whatever the application had. With DISCORD_GUILD_ID set they go to that server only and
show at once (good while developing); without it they are global. Run it once after
creating the application and again whenever the commands change.

Reads DISCORD_TOKEN (required), DISCORD_APPLICATION_ID (optional: learned from the token),
DISCORD_GUILD_ID and DISCORD_API_URL (optional) from the environment or .env.

Options:
  --json      print what Discord answered as JSON
  -h, --help  show this help
`;

const { values, config } = startScript(USAGE, { json: { type: "boolean" } }, false);
if (!config.discord) fail("DISCORD_TOKEN is not set: put the bot token in .env or the environment (see README).");
try {
  const r = await registerCommands(config.discord, [...COMMANDS.values(), ...MESSAGE_COMMANDS.values()]);
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else {
    const where =
      r.scope === "guild" ? `in guild ${r.guildId}` : "globally (may take up to an hour to show everywhere)";
    process.stdout.write(`Registered ${r.commands.length} commands ${where} for application ${r.applicationId}:\n`);
    for (const c of r.commands)
      process.stdout.write(
        c.type === ApplicationCommandType.Message
          ? `  Apps → ${c.name} (on a message)\n`
          : `  /${c.name} — ${c.description}\n`,
      );
  }
} catch (error) {
  fail(errorMessage(error), 1);
}
