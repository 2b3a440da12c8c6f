import { GatewayCloseCodes } from "discord.js";

/**
 * What to do about each gateway close code after which Discord will not take the bot back:
 * discord.js stops reconnecting on these, so a bot that stays up would be connected to nothing.
 * Each is one line, naming the fix.
 */
const FATAL_CLOSES: ReadonlyMap<number, string> = new Map([
  [
    GatewayCloseCodes.AuthenticationFailed,
    "Discord rejected DISCORD_TOKEN at the gateway (close 4004); copy a fresh one from the Developer Portal's Bot page",
  ],
  [
    GatewayCloseCodes.InvalidShard,
    "Discord refused the bot's shard (close 4010); make sure no other program runs with this DISCORD_TOKEN",
  ],
  [
    GatewayCloseCodes.ShardingRequired,
    "Discord requires sharding for this bot (close 4011): it is in more guilds than one connection may serve, which Passage does not support",
  ],
  [
    GatewayCloseCodes.InvalidAPIVersion,
    "Discord no longer accepts this gateway version (close 4012); update Passage to get a newer discord.js",
  ],
  [
    GatewayCloseCodes.InvalidIntents,
    "Discord refused the bot's gateway intents (close 4013); update Passage, as this build asks for intents Discord does not know",
  ],
  [
    GatewayCloseCodes.DisallowedIntents,
    "Discord refused a privileged intent (close 4014); turn it on under Privileged Gateway Intents on the Developer Portal's Bot page",
  ],
]);

/** The one-line fix for a gateway close Discord will not recover from, or null for one it will. */
export function fatalGatewayClose(code: number): string | null {
  return FATAL_CLOSES.get(code) ?? null;
}
