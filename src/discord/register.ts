import { REST, type RESTPutAPIApplicationCommandsResult, Routes } from "discord.js";
import type { DiscordConfig } from "../config.js";
import { errorMessage, PassageError } from "../errors.js";
import type { RegisteredCommand } from "./command.js";

/** Where commands were registered and what Discord answered. */
export interface Registration {
  readonly scope: "guild" | "global";
  readonly applicationId: string;
  readonly guildId: string | null;
  readonly commands: RESTPutAPIApplicationCommandsResult;
}

/**
 * Bulk-overwrites the application's commands (slash and message commands) with `commands`: in one guild when
 * DISCORD_GUILD_ID is set (updates show at once; for development), else globally. The
 * application id comes from the configuration or is asked of Discord with the token.
 */
export async function registerCommands(
  discord: DiscordConfig,
  commands: Iterable<RegisteredCommand>,
): Promise<Registration> {
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  try {
    const applicationId = discord.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
    const body = [...commands].map((c) => c.data.toJSON());
    const route = discord.guildId
      ? Routes.applicationGuildCommands(applicationId, discord.guildId)
      : Routes.applicationCommands(applicationId);
    const result = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
    return { scope: discord.guildId ? "guild" : "global", applicationId, guildId: discord.guildId, commands: result };
  } catch (cause) {
    throw new PassageError("DISCORD_REGISTER", `Registering commands failed: ${errorMessage(cause)}`, { cause });
  }
}
