import { setTimeout as sleep } from "node:timers/promises";
import { MessageFlags, SlashCommandBuilder, type SlashCommandIntegerOption } from "discord.js";
import { BRIEFING_POINTS } from "../../briefing/briefer.js";
import type { Briefing } from "../../briefing/briefing.js";
import { briefingFileName, briefingMarkdown } from "../../briefing/markdown-document.js";
import { brief, MAX_TOPIC_CHARS } from "../../commands/brief.js";
import { UserError } from "../../errors.js";
import type { Command } from "../command.js";
import { renderBriefing } from "../render/briefing.js";
import { DEFER_AFTER_MS } from "./ask.js";

/** The briefing as a message: embed, passage buttons, and the whole briefing as a Markdown file. */
export function briefingMessage(briefing: Briefing, generatedAt: Date, info: { readonly ms?: number } = {}) {
  return {
    ...renderBriefing(briefing, info),
    files: [
      {
        attachment: Buffer.from(briefingMarkdown(briefing, generatedAt), "utf8"),
        name: briefingFileName(briefing, generatedAt),
      },
    ],
  };
}

/** The `points` option, shared with `/brief-schedule add`. */
export function pointsOption(option: SlashCommandIntegerOption): SlashCommandIntegerOption {
  return option
    .setName("points")
    .setDescription(
      `How many points (${BRIEFING_POINTS.min}–${BRIEFING_POINTS.max}, default ${BRIEFING_POINTS.default})`,
    )
    .setMinValue(BRIEFING_POINTS.min)
    .setMaxValue(BRIEFING_POINTS.max);
}

export const briefCommand = {
  data: new SlashCommandBuilder()
    .setName("brief")
    .setDescription("Key points on a topic, or on the whole corpus, each quoted and cited")
    .addStringOption((o) =>
      o
        .setName("topic")
        .setDescription("What to brief on, e.g. Taiwan (leave out for the whole corpus)")
        .setMaxLength(MAX_TOPIC_CHARS),
    )
    .addIntegerOption(pointsOption)
    .addBooleanOption((o) => o.setName("private").setDescription("Only you see the briefing (default: false)")),
  async execute(interaction, context) {
    const started = context.now();
    const ephemeral = interaction.options.getBoolean("private") ?? false;
    const wait = context.cooldowns.take(interaction.user.id);
    if (wait > 0)
      throw new UserError("COOLDOWN", `You're asking quickly — please wait ${wait} s before the next request.`);
    const generatedAt = new Date();
    const making = brief(context.services, {
      topic: interaction.options.getString("topic"),
      points: interaction.options.getInteger("points"),
    });
    // As /ask: reply at once when the briefing is ready within Discord's window, else defer first.
    const first = await Promise.race([making, sleep(DEFER_AFTER_MS, null, { ref: false })]);
    const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
    if (first === null) {
      await interaction.deferReply(flags ? { flags } : {});
      await interaction.editReply(briefingMessage(await making, generatedAt, { ms: context.now() - started }));
      return;
    }
    await interaction.reply({
      ...briefingMessage(first, generatedAt, { ms: context.now() - started }),
      ...(flags ? { flags } : {}),
    });
  },
} satisfies Command;
