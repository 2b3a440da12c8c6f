import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type ButtonInteraction,
  ComponentType,
  DiscordAPIError,
  PermissionFlagsBits,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from "discord.js";
import { UserError } from "../../errors.js";
import type { DiscordContext } from "../command.js";
import { CUSTOM_ID, parseCustomId } from "./custom-ids.js";
import { takeCooldown } from "./logged-answer.js";

/** What the bot needs in the channel to post an answer as a reply. */
const POST_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
];

/**
 * "Post publicly" (`publish:<answer>:<message>`) on a private Ask Passage answer: posts the
 * answer the caller saw (its embed, passage buttons and feedback row) as a reply to the message
 * it answers, by REST with `message_reference` and no pings, then takes the button off the
 * private answer so it is posted once.
 */
export async function handlePublish(
  interaction: ButtonInteraction,
  args: readonly string[],
  context: DiscordContext,
): Promise<void> {
  const messageId = args[1];
  const channelId = interaction.channelId;
  if (!messageId) throw new UserError("ANSWER_GONE", "That button is not one this bot makes any more.");
  takeCooldown(context, "publish", interaction.user.id);
  if (interaction.appPermissions && !interaction.appPermissions.has(POST_PERMISSIONS))
    throw new UserError(
      "CANNOT_POST",
      "I can't post in this channel: I need View Channel, Send Messages, Embed Links and Read Message History here.",
    );
  const components = withoutPublish(interaction.message.components.map((row) => row.toJSON()));
  const body = {
    embeds: interaction.message.embeds.map((embed) => embed.toJSON()),
    components,
    message_reference: { message_id: messageId, channel_id: channelId, fail_if_not_exists: false },
    // A raw REST call: the client's default allowedMentions does not apply, and a reply would
    // otherwise ping the member it answers.
    allowed_mentions: { parse: [], replied_user: false },
  } satisfies RESTPostAPIChannelMessageJSONBody;
  try {
    await interaction.client.rest.post(Routes.channelMessages(channelId), { body });
  } catch (cause) {
    if (cause instanceof DiscordAPIError && (cause.status === 403 || cause.status === 404))
      throw new UserError("CANNOT_POST", "Discord would not let me post in this channel, so nothing was posted.");
    throw cause;
  }
  context.logger.info("feedback.published", { interactionId: interaction.id });
  await interaction.update({ content: "Posted publicly, as a reply to the message.", components });
}

/** The message's rows without the "Post publicly" button (and without rows left empty). */
function withoutPublish(rows: readonly unknown[]): APIActionRowComponent<APIButtonComponent>[] {
  const out: APIActionRowComponent<APIButtonComponent>[] = [];
  for (const row of rows as APIActionRowComponent<APIButtonComponent>[]) {
    if (row.type !== ComponentType.ActionRow) continue;
    const kept = row.components.filter(
      (c) => !("custom_id" in c) || parseCustomId(c.custom_id).kind !== CUSTOM_ID.publish,
    );
    if (kept.length > 0) out.push({ ...row, components: kept });
  }
  return out;
}
