import { type BaseInteraction, PermissionFlagsBits } from "discord.js";
import type { DiscordConfig } from "../config.js";
import { UserError } from "../errors.js";

/** What the check reads of any interaction: a command, a button press, an autocomplete request. */
export type MemberOf = Pick<BaseInteraction, "memberPermissions" | "member">;

/**
 * Whether the member may run moderator commands: the Manage Server permission, or a role
 * listed in MODERATOR_ROLE_IDS. Checked at run time even though the command is registered
 * with `default_member_permissions`, because server admins can override that per channel.
 */
export function isModerator(interaction: MemberOf, config: DiscordConfig): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const member = interaction.member;
  if (!member || config.moderatorRoleIds.length === 0) return false;
  // An uncached member arrives as raw API data (roles: string[]); a cached one as a GuildMember.
  const roles: readonly string[] = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return roles.some((r) => config.moderatorRoleIds.includes(r));
}

/** Throws a `UserError` unless the member is a moderator. */
export function requireModerator(interaction: MemberOf, config: DiscordConfig): void {
  if (!isModerator(interaction, config)) {
    throw new UserError(
      "NOT_MODERATOR",
      "Only moderators can do that: it needs the Manage Server permission or a moderator role.",
    );
  }
}
