import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { brief, cleanPoints, cleanTopic, MAX_TOPIC_CHARS } from "../../commands/brief.js";
import { UserError } from "../../errors.js";
import { CADENCES, type Cadence, describeTimetable, parseTimeOfDay } from "../../schedule/due.js";
import { newSubscription } from "../../schedule/new-subscription.js";
import type { Schedules } from "../../schedule/scheduler.js";
import type { Subscription } from "../../store/types.js";
import type { Command, DiscordContext } from "../command.js";
import { safeText } from "../escape.js";
import { requireModerator } from "../permissions.js";
import { notice } from "../render/message.js";
import { renderSubscriptions } from "../render/schedules.js";
import { pointsOption } from "./brief.js";

/** When a subscription posts if no time is given. */
export const DEFAULT_TIME_OF_DAY = "09:00";

/** Most subscriptions one server may have: each costs a post per slot. */
export const MAX_SUBSCRIPTIONS_PER_GUILD = 25;

// What the bot needs in a channel to post a briefing there.
const POSTING =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles;

export const briefScheduleCommand = {
  data: new SlashCommandBuilder()
    .setName("brief-schedule")
    .setDescription("Post a briefing to this channel on a schedule (moderators)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((add) =>
      add
        .setName("add")
        .setDescription("Post a briefing on a topic to this channel every day or week")
        .addStringOption((o) =>
          o
            .setName("topic")
            .setDescription("What to brief on, e.g. Taiwan")
            .setRequired(true)
            .setMaxLength(MAX_TOPIC_CHARS),
        )
        .addStringOption((o) =>
          o
            .setName("every")
            .setDescription("How often")
            .setRequired(true)
            .addChoices(CADENCES.map((c) => ({ name: c, value: c }))),
        )
        .addStringOption((o) =>
          o.setName("at").setDescription(`Time of day, HH:MM in UTC (default ${DEFAULT_TIME_OF_DAY})`).setMaxLength(9),
        )
        .addIntegerOption(pointsOption),
    )
    .addSubcommand((list) => list.setName("list").setDescription("The scheduled briefings in this server"))
    .addSubcommand((remove) =>
      remove
        .setName("remove")
        .setDescription("Stop a scheduled briefing")
        .addIntegerOption((o) =>
          o
            .setName("id")
            .setDescription("Its number, as /brief-schedule list shows it")
            .setRequired(true)
            .setMinValue(1),
        ),
    ),
  async execute(interaction, context) {
    requireModerator(interaction, context.discord);
    const schedules = context.schedules;
    if (!schedules)
      throw new UserError(
        "SCHEDULES_OFF",
        "Scheduled briefings are not available on this bot right now: its schedule database could not be opened (the logs say why).",
      );
    const guildId = interaction.guildId;
    if (guildId === null) throw new UserError("GUILD_ONLY", "Scheduled briefings are for server channels.");
    const reply = (content: string) => interaction.reply({ content: notice(content), flags: MessageFlags.Ephemeral });
    switch (interaction.options.getSubcommand()) {
      case "add": {
        const s = await add(interaction, context, schedules, guildId);
        const first = Math.floor(Date.parse(s.nextDueAt) / 1000);
        await reply(
          `Scheduled briefing #${s.id}: “${safeText(s.topic)}” in <#${s.channelId}>, ${describeTimetable(s.timetable)}. The first is due <t:${first}:F> (<t:${first}:R>).`,
        );
        return;
      }
      case "list":
        await interaction.reply({
          ...renderSubscriptions(await schedules.store.list(guildId)),
          flags: MessageFlags.Ephemeral,
        });
        return;
      case "remove": {
        const id = interaction.options.getInteger("id", true);
        if (!(await schedules.store.remove(id, guildId)))
          throw new UserError(
            "NO_SUCH_SCHEDULE",
            `There is no scheduled briefing #${id} in this server; /brief-schedule list shows them.`,
          );
        context.logger.info("schedule.removed", { subscriptionId: id, guildId, by: interaction.user.id });
        await reply(`Removed scheduled briefing #${id}.`);
        return;
      }
      default:
        throw new UserError("UNKNOWN_SUBCOMMAND", "Use /brief-schedule add, list or remove.");
    }
  },
} satisfies Command;

async function add(
  interaction: ChatInputCommandInteraction,
  context: DiscordContext,
  schedules: Schedules,
  guildId: string,
): Promise<Subscription> {
  const topic = cleanTopic(interaction.options.getString("topic", true));
  if (topic === null) throw new UserError("EMPTY_TOPIC", "Give the briefing a topic, e.g. “Taiwan”.");
  const cadence = interaction.options.getString("every", true) as Cadence;
  if (!CADENCES.includes(cadence)) throw new UserError("BAD_CADENCE", "Choose every: daily or weekly.");
  const at = interaction.options.getString("at") ?? DEFAULT_TIME_OF_DAY;
  const minuteOfDay = parseTimeOfDay(at);
  if (minuteOfDay === null)
    throw new UserError(
      "BAD_TIME",
      `“${safeText(at)}” is not a time of day; give it as HH:MM in UTC, e.g. 09:00 or 17:30.`,
    );
  const points = cleanPoints(interaction.options.getInteger("points"));
  if (interaction.appPermissions && !interaction.appPermissions.has(POSTING)) {
    throw new UserError(
      "CANNOT_POST",
      "I can't post briefings in this channel: I need View Channel, Send Messages, Embed Links and Attach Files here.",
    );
  }
  if ((await schedules.store.list(guildId)).length >= MAX_SUBSCRIPTIONS_PER_GUILD) {
    throw new UserError(
      "TOO_MANY_SCHEDULES",
      `This server already has ${MAX_SUBSCRIPTIONS_PER_GUILD} scheduled briefings; remove one first.`,
    );
  }
  // Made once now, so a topic with nothing to look for is refused before it is stored.
  await brief(context.services, { topic, points });
  const s = await schedules.store.add(
    newSubscription(
      {
        guildId,
        channelId: interaction.channelId,
        topic,
        points,
        cadence,
        minuteOfDay,
        createdBy: interaction.user.id,
      },
      schedules.now(),
    ),
  );
  context.logger.info("schedule.added", {
    subscriptionId: s.id,
    guildId,
    channelId: s.channelId,
    cadence,
    at: minuteOfDay,
    nextDueAt: s.nextDueAt,
    by: interaction.user.id,
  });
  return s;
}
