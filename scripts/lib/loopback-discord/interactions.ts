/**
 * Interactions as Discord sends them in INTERACTION_CREATE: a slash command (with attachment
 * options, see {@link FakeDiscord.upload}), an autocomplete request, a message command
 * (right-click a message → Apps), a button press or a modal's submission, by a member in the
 * guild's text channel; and a member's message for a message command to point at. Pass an
 * interaction to {@link FakeDiscord.pushInteraction}.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentButtonInteraction,
  type APIModalSubmissionComponent,
  type APIModalSubmitGuildInteraction,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
} from "discord.js";
import { messageFromBody } from "./messages.js";
import {
  BOT_USER,
  DEFAULT_APP_PERMISSIONS,
  DEFAULT_IDS,
  DEFAULT_MEMBER_PERMISSIONS,
  defaultChannel,
  humanUser,
  nextSnowflake,
  noFlags,
} from "./world.js";

/** Discord's upload limit for an unboosted guild (10 MiB), sent as `attachment_size_limit`. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** Who invokes an interaction. */
export interface InteractionBuilderOptions {
  /** The invoking user. Defaults to {@link DEFAULT_IDS}.userId. */
  userId?: string | undefined;
  /**
   * The member's permissions in the channel as Discord computed them: what
   * `interaction.memberPermissions` reports. Defaults to {@link DEFAULT_MEMBER_PERMISSIONS}.
   */
  memberPermissions?: bigint | undefined;
  /**
   * Role ids the member holds (besides the implicit `@everyone`). Roles the guild lacks are
   * created, without permissions, when the interaction is pushed.
   */
  roles?: string[] | undefined;
  /**
   * The guild and channel it happens in (see {@link FakeDiscord.addGuild}). Defaults to
   * {@link DEFAULT_IDS}' guild and channel.
   */
  guild?: { guildId: string; channelId: string } | undefined;
}

/**
 * A chat-input option value; its Discord option type is inferred from the JS type. An
 * attachment (as {@link FakeDiscord.upload} returns it) becomes an ATTACHMENT option whose value
 * is its id, with the attachment itself in `resolved.attachments`, as Discord sends it.
 */
export type ChatInputOptionValue = string | number | boolean | APIAttachment;

/** Options for {@link chatInput}. */
export interface ChatInputBuilderOptions extends InteractionBuilderOptions {
  /** The command name, e.g. `ask`. */
  name: string;
  subcommand?: string | undefined;
  /**
   * Option values by name: strings become STRING, booleans BOOLEAN, integral numbers INTEGER
   * and other numbers NUMBER.
   */
  options?: Record<string, ChatInputOptionValue> | undefined;
}

/** Options for {@link button}. */
export interface ButtonBuilderOptions extends InteractionBuilderOptions {
  customId: string;
  /**
   * The message that carries the button, as the fake stored it (an interaction's `@original`,
   * say). Defaults to a bot message holding only this button.
   */
  message?: APIMessage | undefined;
}

/** Options for {@link messageCommand}. */
export interface MessageCommandBuilderOptions extends InteractionBuilderOptions {
  /** The command's name as registered, e.g. `Ask Passage`. */
  name: string;
  /** The message right-clicked; Discord sends it in `resolved.messages`. */
  target: APIMessage;
}

/** Options for {@link modalSubmit}. */
export interface ModalSubmitBuilderOptions extends InteractionBuilderOptions {
  /**
   * The modal as the bot showed it (the `data` of its type 9 callback): its custom id, and the
   * text inputs whose values are sent, in Label components or legacy action rows.
   */
  modal: Record<string, unknown>;
  /** What the member typed, by text input custom id; inputs left out are sent empty. */
  values: Record<string, string>;
  /** The message whose button opened the modal, sent back as Discord does. */
  message?: APIMessage | undefined;
}

/** Options for {@link memberMessage}. */
export interface MemberMessageOptions {
  content: string;
  /** The author. Defaults to {@link DEFAULT_IDS}.userId. */
  userId?: string | undefined;
}

/** Discord's interaction tokens: long URL-safe base64 starting with the encoding of `interaction:`. */
function interactionToken(id: string): string {
  return `aW50ZXJhY3Rpb246${Buffer.from(`${id}:`).toString("base64url")}${randomBytes(48).toString("base64url")}`;
}

/** The fields every interaction shares, for a member in the guild's text channel. */
function baseGuildInteraction(options: InteractionBuilderOptions) {
  const id = nextSnowflake();
  const guildId = options.guild?.guildId ?? DEFAULT_IDS.guildId;
  const member: APIInteractionGuildMember = {
    user: humanUser(options.userId ?? DEFAULT_IDS.userId, "tester"),
    roles: options.roles ?? [],
    permissions: (options.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS).toString(),
    joined_at: new Date(Date.now() - 86_400_000).toISOString(),
    premium_since: null,
    nick: null,
    avatar: null,
    banner: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: noFlags(),
    communication_disabled_until: null,
  };
  const channel = defaultChannel(guildId, options.guild?.channelId ?? DEFAULT_IDS.channelId);
  return {
    id,
    application_id: DEFAULT_IDS.applicationId,
    token: interactionToken(id),
    version: 1 as const,
    guild_id: guildId,
    guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
    channel_id: channel.id,
    channel,
    member,
    app_permissions: DEFAULT_APP_PERMISSIONS.toString(),
    locale: Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    // discord.js reads both unconditionally; without either, its INTERACTION_CREATE handler
    // throws a TypeError that surfaces only as an unhandled rejection, and interactionCreate is
    // never emitted.
    entitlements: [],
    // Key "0" is GUILD_INSTALL, mapped to the guild, as for a guild-installed bot.
    authorizing_integration_owners: { "0": guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

function basicOptions(options: ChatInputBuilderOptions["options"]): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(options ?? {}).map(([name, value]): APIApplicationCommandInteractionDataBasicOption => {
    if (typeof value === "object") return { name, type: ApplicationCommandOptionType.Attachment, value: value.id };
    if (typeof value === "string") return { name, type: ApplicationCommandOptionType.String, value };
    if (typeof value === "boolean") return { name, type: ApplicationCommandOptionType.Boolean, value };
    return Number.isInteger(value)
      ? { name, type: ApplicationCommandOptionType.Integer, value }
      : { name, type: ApplicationCommandOptionType.Number, value };
  });
}

/**
 * A slash-command interaction (type 2 APPLICATION_COMMAND, data type 1 CHAT_INPUT).
 *
 * @example chatInput({ name: "ask", options: { question: "Why?" }, roles: ["123"] })
 */
export function chatInput(options: ChatInputBuilderOptions): APIChatInputApplicationCommandGuildInteraction {
  const basic = basicOptions(options.options);
  const dataOptions: APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>[] =
    options.subcommand === undefined
      ? basic
      : [{ name: options.subcommand, type: ApplicationCommandOptionType.Subcommand, options: basic }];
  const attachments = Object.values(options.options ?? {}).filter((v): v is APIAttachment => typeof v === "object");
  return {
    ...baseGuildInteraction(options),
    type: InteractionType.ApplicationCommand,
    data: {
      id: nextSnowflake(),
      name: options.name,
      type: ApplicationCommandType.ChatInput,
      options: dataOptions,
      ...(attachments.length > 0
        ? { resolved: { attachments: Object.fromEntries(attachments.map((a) => [a.id, a])) } }
        : {}),
    },
  };
}

/** Options for {@link autocomplete}. */
export interface AutocompleteBuilderOptions extends InteractionBuilderOptions {
  /** The command name, e.g. `corpus`. */
  name: string;
  subcommand?: string | undefined;
  /** The option being typed in, and what has been typed so far. */
  focused: { name: string; value: string };
  /** Other options already filled in (strings only, as far as Passage needs). */
  options?: Record<string, string> | undefined;
}

/**
 * An autocomplete request (type 4 APPLICATION_COMMAND_AUTOCOMPLETE): the member is typing into
 * `focused`, which Discord sends as a STRING option with `focused: true`, beside the options
 * already filled in. The bot answers with callback type 8 and up to 25 choices.
 *
 * @example autocomplete({ name: "corpus", subcommand: "show", focused: { name: "article", value: "blin" } })
 */
export function autocomplete(options: AutocompleteBuilderOptions): APIApplicationCommandAutocompleteGuildInteraction {
  const basic = [
    ...Object.entries(options.options ?? {}).map(([name, value]) => ({
      name,
      type: ApplicationCommandOptionType.String as const,
      value,
    })),
    {
      name: options.focused.name,
      type: ApplicationCommandOptionType.String as const,
      value: options.focused.value,
      focused: true,
    },
  ];
  const dataOptions =
    options.subcommand === undefined
      ? basic
      : [{ name: options.subcommand, type: ApplicationCommandOptionType.Subcommand as const, options: basic }];
  return {
    ...baseGuildInteraction(options),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: { id: nextSnowflake(), name: options.name, type: ApplicationCommandType.ChatInput, options: dataOptions },
  };
}

/**
 * A button press (type 3 MESSAGE_COMPONENT, component_type 2 BUTTON) on a reply of the bot's
 * that carries the button.
 *
 * @example button({ customId: "passage:0123456789abcdef" })
 */
export function button(options: ButtonBuilderOptions): APIMessageComponentButtonInteraction {
  const base = baseGuildInteraction(options);
  if (options.message)
    return {
      ...base,
      type: InteractionType.MessageComponent,
      data: { custom_id: options.customId, component_type: ComponentType.Button },
      message: options.message,
    };
  const components = [
    {
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: options.customId, label: "Button" },
      ],
    },
  ];
  const message = messageFromBody(
    {
      channelId: base.channel_id,
      author: BOT_USER,
      type: MessageType.Default,
      applicationId: base.application_id,
    },
    { components },
    [],
  );
  return {
    ...base,
    type: InteractionType.MessageComponent,
    data: { custom_id: options.customId, component_type: ComponentType.Button },
    message,
  };
}

/**
 * A message command (type 2 APPLICATION_COMMAND, data type 3 MESSAGE) on `target`, which
 * arrives in `resolved.messages` with its content: Discord sends an app the content of the
 * message it was invoked on even without the Message Content intent.
 *
 * @example messageCommand({ name: "Ask Passage", target: fake.postMemberMessage({ content: "Why?" }) })
 */
export function messageCommand(options: MessageCommandBuilderOptions): APIMessageApplicationCommandGuildInteraction {
  return {
    ...baseGuildInteraction(options),
    type: InteractionType.ApplicationCommand,
    data: {
      id: nextSnowflake(),
      name: options.name,
      type: ApplicationCommandType.Message,
      target_id: options.target.id,
      resolved: { messages: { [options.target.id]: options.target } },
    },
  };
}

/**
 * A modal's submission (type 5 MODAL_SUBMIT), built from the modal the bot showed: each text
 * input comes back in the component that held it (a Label, or a legacy action row) with the
 * member's value.
 *
 * @example modalSubmit({ modal: fake.modalOf(id) ?? {}, values: { question: "And Taiwan?" } })
 */
export function modalSubmit(options: ModalSubmitBuilderOptions): APIModalSubmitGuildInteraction {
  const shown = Array.isArray(options.modal.components) ? (options.modal.components as Record<string, unknown>[]) : [];
  const input = (component: unknown) => {
    const c = (component ?? {}) as { custom_id?: unknown };
    const customId = typeof c.custom_id === "string" ? c.custom_id : "";
    return { type: ComponentType.TextInput as const, custom_id: customId, value: options.values[customId] ?? "" };
  };
  const components: APIModalSubmissionComponent[] = shown.map((c): APIModalSubmissionComponent => {
    if (c.type === ComponentType.Label) return { type: ComponentType.Label, component: input(c.component) };
    if (c.type === ComponentType.ActionRow) {
      const inner = Array.isArray(c.components) ? c.components : [];
      return { type: ComponentType.ActionRow, components: inner.map(input) };
    }
    return { type: ComponentType.TextDisplay };
  });
  return {
    ...baseGuildInteraction(options),
    type: InteractionType.ModalSubmit,
    data: { custom_id: typeof options.modal.custom_id === "string" ? options.modal.custom_id : "", components },
    ...(options.message ? { message: options.message } : {}),
  };
}

/** A member's message in the guild's text channel, as Discord stores it; see {@link FakeDiscord.postMemberMessage}. */
export function memberMessage(options: MemberMessageOptions): APIMessage {
  return messageFromBody(
    {
      channelId: DEFAULT_IDS.channelId,
      author: humanUser(options.userId ?? DEFAULT_IDS.userId, "member"),
      type: MessageType.Default,
    },
    { content: options.content },
    [],
  );
}
