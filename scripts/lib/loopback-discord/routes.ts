/**
 * The REST routes of Discord's that Passage calls, answered as Discord answers them:
 *
 * | route | who calls it |
 * |---|---|
 * | `GET /gateway/bot` | discord.js, on login |
 * | `GET /applications/@me` | `npm run register`, when no application id is configured |
 * | `PUT /applications/:app[/guilds/:guild]/commands` | `npm run register` |
 * | `POST /interactions/:id/:token/callback` | `reply()`, `deferReply()`, `update()`, `deferUpdate()`, `showModal()` and an autocomplete's `respond()` |
 * | `PATCH /webhooks/:app/:token/messages/@original` | `editReply()` (after `update()`, it edits the message the button was on) |
 * | `POST /webhooks/:app/:token` | `followUp()` |
 * | `POST /channels/:id/messages` | the scheduled-briefing poster; "Post publicly" (a reply, by `message_reference`) |
 *
 * Any other route answers 404, so a new call the bot makes shows up in the tests.
 *
 * @module
 */
import {
  type APIApplication,
  type APIApplicationCommand,
  type APIMessage,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  type RESTGetAPIGatewayBotResult,
} from "discord.js";
import { editMessage, type MessageOrigin, messageFromBody } from "./messages.js";
import { DISCORD_ERRORS, fail, ok, type Route, type RouteRequest, type RouteResult } from "./rest.js";
import type { FakeState, InteractionState } from "./state.js";
import { BOT_USER, DEFAULT_IDS, nextSnowflake } from "./world.js";

/** The route table over the fake's state; `gatewayUrl` is where `GET /gateway/bot` sends the client. */
export function discordRoutes(state: FakeState, gatewayUrl: string): Route[] {
  const applicationId = DEFAULT_IDS.applicationId;
  const route = (method: string, pattern: string, auth: boolean, handle: Route["handle"]): Route => ({
    method,
    pattern: new RegExp(`^${pattern}$`),
    auth,
    handle,
  });
  const webhook = "/webhooks/(?<appId>\\d+)/(?<token>[^/]+)";

  /** The interaction behind an interaction webhook, or Discord's answer when there is none. */
  const webhookInteraction = (request: RouteRequest): InteractionState | RouteResult => {
    const interaction = state.interactionByToken(param(request, "token"));
    if (!interaction || param(request, "appId") !== applicationId) return fail(404, DISCORD_ERRORS.unknownWebhook);
    return interaction;
  };

  return [
    // discord.js connects to `${url}?v=10&encoding=json`.
    route("GET", "/gateway/bot", true, () => ok(gatewayBot(gatewayUrl, state.recommendedShards))),
    route("GET", "/applications/@me", true, () => ok(application())),
    route("PUT", "/applications/(?<appId>\\d+)(?:/guilds/(?<guildId>\\d+))?/commands", true, (request) => {
      const guildId = request.params.guildId;
      if (
        param(request, "appId") !== applicationId ||
        (guildId !== undefined && state.guildById(guildId) === undefined)
      )
        return fail(403, DISCORD_ERRORS.missingAccess);
      if (!Array.isArray(request.body)) return fail(400, DISCORD_ERRORS.invalidFormBody);
      return ok(request.body.map((command) => storedCommand(asRecord(command), guildId)));
    }),

    route("POST", "/interactions/(?<id>\\d+)/(?<token>[^/]+)/callback", false, (request) => {
      const interaction = state.interaction(param(request, "id"));
      // Discord answers 10062 both for ids it never issued and for interactions past their
      // 3-second acknowledgement window.
      if (!interaction || interaction.token !== param(request, "token"))
        return fail(404, DISCORD_ERRORS.unknownInteraction);
      if (interaction.acknowledged) return fail(400, DISCORD_ERRORS.alreadyAcknowledged);
      // discord.js asks for the response object only when a caller passes `withResponse: true`.
      if (request.query.get("with_response") === "true")
        return fail(400, {
          ...DISCORD_ERRORS.invalidFormBody,
          errors: "the loopback Discord never sends with_response",
        });
      const body = asRecord(request.body);
      const data = asRecord(body.data);
      const origin = responseOrigin(interaction);
      switch (body.type) {
        case InteractionResponseType.ChannelMessageWithSource:
          interaction.original = messageFromBody(origin, data, request.files);
          break;
        case InteractionResponseType.DeferredChannelMessageWithSource:
          // Discord shows "Bot is thinking…": an empty original with the Loading flag.
          interaction.original = messageFromBody(origin, {}, [], numberOr(data.flags, 0) | MessageFlags.Loading);
          break;
        case InteractionResponseType.UpdateMessage:
        case InteractionResponseType.DeferredMessageUpdate:
          // Only a component press (or a modal opened from one) has a message to update.
          if (!interaction.message)
            return fail(400, { ...DISCORD_ERRORS.invalidFormBody, errors: { type: "no message" } });
          if (body.type === InteractionResponseType.UpdateMessage)
            interaction.message = editMessage(interaction.message, data, request.files);
          interaction.updatedMessage = true;
          break;
        case InteractionResponseType.ApplicationCommandAutocompleteResult: {
          // Only an autocomplete request takes choices, and Discord checks them as it shows them.
          if (interaction.type !== InteractionType.ApplicationCommandAutocomplete)
            return fail(400, { ...DISCORD_ERRORS.invalidFormBody, errors: { type: "not an autocomplete request" } });
          const choices = choicesProblem(data.choices);
          if (typeof choices === "string")
            return fail(400, { ...DISCORD_ERRORS.invalidFormBody, errors: { data: { choices: choices } } });
          interaction.choices = choices;
          break;
        }
        case InteractionResponseType.Modal: {
          // A modal cannot answer a modal, and Discord requires its three parts.
          const problem =
            interaction.type === InteractionType.ModalSubmit
              ? "a modal cannot answer a modal submission"
              : modalProblem(data);
          if (problem) return fail(400, { ...DISCORD_ERRORS.invalidFormBody, errors: { data: problem } });
          interaction.modal = data;
          break;
        }
        default:
          return fail(400, { ...DISCORD_ERRORS.invalidFormBody, errors: { type: "callback type not served" } });
      }
      interaction.acknowledged = true;
      return { status: 204 };
    }),

    route("PATCH", `${webhook}/messages/@original`, false, (request) => {
      const interaction = webhookInteraction(request);
      if (!("token" in interaction)) return interaction;
      // After an update (type 6 or 7), `@original` is the message the component was on.
      if (interaction.updatedMessage && interaction.message) {
        interaction.message = editMessage(interaction.message, asRecord(request.body), request.files);
        return ok(interaction.message);
      }
      if (!interaction.original) return fail(404, DISCORD_ERRORS.unknownMessage);
      const edited = editMessage(interaction.original, asRecord(request.body), request.files);
      // Editing a deferred reply replaces the "thinking" placeholder.
      edited.flags = numberOr(edited.flags, 0) & ~MessageFlags.Loading;
      interaction.original = edited;
      return ok(edited);
    }),

    route("POST", webhook, false, (request) => {
      const interaction = webhookInteraction(request);
      if (!("token" in interaction)) return interaction;
      if (!interaction.acknowledged) return fail(404, DISCORD_ERRORS.unknownWebhook);
      const message = messageFromBody(responseOrigin(interaction), asRecord(request.body), request.files);
      interaction.followUps.push(message);
      // Discord answers 204 unless `wait=true`, which discord.js always sends.
      return ok(message);
    }),

    route("POST", "/channels/(?<id>\\d+)/messages", true, (request) => {
      const channelId = param(request, "id");
      if (!state.hasChannel(channelId)) return fail(404, DISCORD_ERRORS.unknownChannel);
      const body = asRecord(request.body);
      const reference = body.message_reference === undefined ? null : asRecord(body.message_reference);
      let replyTo: APIMessage | undefined;
      if (reference) {
        const messageId = typeof reference.message_id === "string" ? reference.message_id : "";
        const referenceChannel = typeof reference.channel_id === "string" ? reference.channel_id : channelId;
        replyTo = state.message(referenceChannel, messageId);
        // Discord refuses a reply to a message it cannot find unless told not to mind.
        if (!replyTo && reference.fail_if_not_exists !== false)
          return fail(400, {
            ...DISCORD_ERRORS.invalidFormBody,
            errors: { message_reference: { _errors: [{ code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE" }] } },
          });
      }
      const message = messageFromBody(
        { channelId, author: BOT_USER, type: replyTo ? MessageType.Reply : MessageType.Default },
        body,
        request.files,
      );
      if (replyTo) {
        message.message_reference = {
          type: MessageReferenceType.Default,
          message_id: replyTo.id,
          channel_id: replyTo.channel_id,
          guild_id: state.guildOfChannel(replyTo.channel_id)?.id ?? state.guild.id,
        };
        message.referenced_message = replyTo;
      }
      state.post(message);
      return ok(message);
    }),
  ];
}

/** Interaction responses come from the application's webhook, as the bot user. */
function responseOrigin(interaction: InteractionState): MessageOrigin {
  return {
    channelId: interaction.channelId,
    author: BOT_USER,
    // The response to a slash command has type CHAT_INPUT_COMMAND.
    type: interaction.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
    applicationId: DEFAULT_IDS.applicationId,
  };
}

/** What Discord would refuse in a modal (callback type 9): a missing custom id, title or components. */
function modalProblem(data: Record<string, unknown>): string | null {
  if (typeof data.custom_id !== "string" || data.custom_id.length === 0 || data.custom_id.length > 100)
    return "custom_id must be 1–100 characters";
  if (typeof data.title !== "string" || data.title.length === 0 || data.title.length > 45)
    return "title must be 1–45 characters";
  if (!Array.isArray(data.components) || data.components.length === 0 || data.components.length > 5)
    return "components must hold 1–5 entries";
  return null;
}

/**
 * The choices of an autocomplete answer as Discord checks them (at most 25; each name 1–100
 * characters, each value a string of at most 100 characters or a number), or what is wrong.
 */
function choicesProblem(value: unknown): { name: string; value: string | number }[] | string {
  if (!Array.isArray(value)) return "choices must be an array";
  if (value.length > 25) return "at most 25 choices";
  const choices: { name: string; value: string | number }[] = [];
  for (const item of value) {
    const choice = asRecord(item);
    if (typeof choice.name !== "string" || choice.name.length === 0 || choice.name.length > 100)
      return "each choice's name must be 1–100 characters";
    const choiceValue = choice.value;
    if (!(typeof choiceValue === "number" || (typeof choiceValue === "string" && choiceValue.length <= 100)))
      return "each choice's value must be a string of at most 100 characters or a number";
    choices.push({ name: choice.name, value: choiceValue });
  }
  return choices;
}

function gatewayBot(url: string, shards: number): RESTGetAPIGatewayBotResult {
  return {
    url,
    shards,
    // As for a large bot: up to 16 shards identify at once, so a test's shards connect without
    // discord.js's 5 s wait between identifies.
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 16 },
  };
}

/** The application, as far as anyone reads it: `npm run register` needs only the id. */
function application(): Pick<APIApplication, "id" | "name" | "description" | "bot_public"> {
  return {
    id: DEFAULT_IDS.applicationId,
    name: BOT_USER.username,
    description: "Answers questions from its corpus, citing passages.",
    bot_public: false,
  };
}

/** A registered command as Discord echoes it: the definition plus its id and Discord's defaults. */
function storedCommand(input: Record<string, unknown>, guildId: string | undefined): APIApplicationCommand {
  return {
    type: ApplicationCommandType.ChatInput,
    description: "",
    default_member_permissions: null,
    nsfw: false,
    contexts: null,
    ...input,
    id: nextSnowflake(),
    application_id: DEFAULT_IDS.applicationId,
    ...(guildId === undefined ? {} : { guild_id: guildId }),
    name: typeof input.name === "string" ? input.name : "",
    version: nextSnowflake(),
    // The client's JSON, taken as valid: Discord would have refused it otherwise.
  } as APIApplicationCommand;
}

function param(request: RouteRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined) throw new Error(`route parameter ${name} missing`);
  return value;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}
