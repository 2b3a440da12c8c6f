/**
 * The world the loopback Discord presents: one bot (whose user id is its application's, as on
 * modern Discord), one guild with one text channel, and one human who invokes commands. Ids are
 * realistic snowflakes, because discord.js derives timestamps from them.
 *
 * @module
 */
import {
  type APIGuildMember,
  type APIGuildTextChannel,
  type APIRole,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  PermissionFlagsBits,
} from "discord.js";

/** Discord's snowflake epoch (2015-01-01T00:00:00.000Z), in milliseconds. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let snowflakeIncrement = 0n;

/** A fresh snowflake for "now"; a per-process increment keeps ids unique within a millisecond. */
export function nextSnowflake(): string {
  const timestamp = BigInt(Date.now()) - DISCORD_EPOCH;
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  // Worker id 1, process id 0: arbitrary but constant, like one Discord node.
  return ((timestamp << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/**
 * A fresh snowflake whose guild lands on `shard` of `count`: Discord routes a guild to shard
 * `(id >> 22) % count`, so the timestamp part is moved back to the nearest one that does.
 */
export function snowflakeOnShard(shard: number, count: number): string {
  const id = BigInt(nextSnowflake());
  const timestamp = id >> 22n;
  const onShard = timestamp - ((((timestamp - BigInt(shard)) % BigInt(count)) + BigInt(count)) % BigInt(count));
  return ((onShard << 22n) | (id & 0x3fffffn)).toString();
}

/** The shard of `count` a guild belongs to, by Discord's formula. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** The ids of the fake's world. */
export const DEFAULT_IDS = {
  applicationId: "1310000000000000001",
  botUserId: "1310000000000000001",
  guildId: "1310000000000000100",
  channelId: "1310000000000000200",
  userId: "1310000000000000300",
  /**
   * Owns the guild. Deliberately not `userId`: discord.js grants a guild's owner every
   * permission, which would hide permission bugs.
   */
  ownerId: "1310000000000000900",
} as const;

/** What Discord's default `@everyone` role grants a member that matters to a text bot. */
export const DEFAULT_MEMBER_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

/** The bot's permissions in the channel (`app_permissions`): enough to post a briefing. */
export const DEFAULT_APP_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseExternalEmojis;

/**
 * Discord sends `0` for "no flags", which TypeScript's numeric flag enums (none of which has a
 * 0 member) cannot express without a cast.
 */
export function noFlags<Flags extends number>(): Flags {
  return 0 as Flags;
}

/** A human user, as Discord sends one in an interaction's member. */
export function humanUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    global_name: username,
    discriminator: "0",
    avatar: null,
    public_flags: noFlags(),
    flags: noFlags(),
    primary_guild: null,
    collectibles: null,
    avatar_decoration_data: null,
  };
}

/** The bot's user. */
export const BOT_USER: APIUser = {
  id: DEFAULT_IDS.botUserId,
  username: "Passage",
  global_name: null,
  // Bot accounts keep legacy discriminators.
  discriminator: "0000",
  avatar: null,
  bot: true,
  public_flags: noFlags(),
  flags: noFlags(),
  mfa_enabled: false,
  verified: true,
  primary_guild: null,
  collectibles: null,
  avatar_decoration_data: null,
};

/** A role without permissions, as the fake creates for a member's unknown role ids. */
export function role(id: string, name: string, position: number, permissions = 0n): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: noFlags(),
  };
}

/** A guild's one text channel, `#general` (by default the default guild's). */
export function defaultChannel(
  guildId: string = DEFAULT_IDS.guildId,
  channelId: string = DEFAULT_IDS.channelId,
): APIGuildTextChannel<ChannelType.GuildText> {
  return {
    id: channelId,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name: "general",
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: noFlags(),
    permission_overwrites: [],
  };
}

/**
 * A guild as GUILD_CREATE carries it: `@everyone`, `#general` and the bot as a member (by
 * default the default guild, with its ids).
 */
export function defaultGuild(
  id: string = DEFAULT_IDS.guildId,
  channelId: string = DEFAULT_IDS.channelId,
): GatewayGuildCreateDispatchData {
  const botMember: APIGuildMember = {
    user: BOT_USER,
    roles: [],
    joined_at: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    premium_since: null,
    nick: null,
    avatar: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: noFlags(),
  };
  return {
    id,
    name: "Passage Test Guild",
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: DEFAULT_IDS.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    mfa_level: GuildMFALevel.None,
    nsfw_level: GuildNSFWLevel.Default,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: channelId,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    application_id: null,
    vanity_url_code: null,
    preferred_locale: Locale.EnglishUS,
    hub_type: null,
    features: [],
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    // The @everyone role's id is the guild's.
    roles: [role(id, "@everyone", 0, DEFAULT_MEMBER_PERMISSIONS)],
    emojis: [],
    stickers: [],
    joined_at: botMember.joined_at ?? new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [botMember],
    channels: [defaultChannel(id, channelId)],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    incidents_data: null,
  };
}
