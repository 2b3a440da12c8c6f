import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { describeBuild, describeProgress, reindex } from "../../commands/reindex.js";
import { errorMessage, UserError } from "../../errors.js";
import type { BuildProgress } from "../../index/build-index.js";
import type { Command } from "../command.js";
import { requireModerator } from "../permissions.js";
import { quotedNotice } from "../render/message.js";

/** Progress edits at most this often: Discord rate-limits message edits. */
const PROGRESS_EVERY_MS = 1500;

export const reindexCommand = {
  data: new SlashCommandBuilder()
    .setName("reindex")
    .setDescription("Rebuild the index from the corpus folder (moderators)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild),
  async execute(interaction, context) {
    requireModerator(interaction, context.discord);
    if (context.services.indexes.rebuilding)
      throw new UserError("REINDEX_RUNNING", "A reindex is already running; its message will show when it is done.");
    let lastEdit = 0;
    let editing: Promise<unknown> = Promise.resolve();
    const onProgress = (p: BuildProgress) => {
      const now = context.now();
      if (now - lastEdit < PROGRESS_EVERY_MS) return;
      lastEdit = now;
      editing = editing
        .then(() => interaction.editReply({ content: quotedNotice(`Reindexing… ${describeProgress(p)}.`) }))
        .catch((error: unknown) =>
          context.logger.warn("reindex.progress_edit_failed", { interactionId: interaction.id, error }),
        );
    };
    // The rebuild is claimed here, with no await since the check above: two /reindex at once
    // cannot both pass it, so only one ever says "Reindexing…". Progress edits wait for the reply.
    const running = reindex(context.services, onProgress);
    running.catch(() => undefined);
    editing = interaction.reply({
      content: "Reindexing the corpus… questions are still answered from the current index meanwhile.",
      flags: MessageFlags.Ephemeral,
    });
    await editing;
    try {
      const result = await running;
      await editing;
      await interaction.editReply({ content: quotedNotice(`Reindex finished. ${describeBuild(result)}`) });
    } catch (error) {
      await editing;
      if (error instanceof UserError) throw error;
      await interaction.editReply({
        content: quotedNotice(`Reindex failed: ${errorMessage(error)}\nThe previous index is still serving.`),
      });
    }
  },
} satisfies Command;
