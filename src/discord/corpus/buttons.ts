import type { ButtonInteraction } from "discord.js";
import { UserError } from "../../errors.js";
import type { DiscordContext } from "../command.js";
import { safeText } from "../escape.js";
import type { ComponentHandler } from "../feedback/components.js";
import { requireModerator } from "../permissions.js";
import { LOG_LINES, renderChange, renderCorpusList } from "../render/corpus.js";
import { articleKey, CORPUS_ID } from "./custom-ids.js";
import { actorOf, refusalInPlace, requireCorpus } from "./intake.js";
import { CorpusProgress } from "./progress.js";

/** ◀ / ▶ under `/corpus list`: shows the page the button names, in place, as the corpus is now. */
const handlePage: ComponentHandler<ButtonInteraction> = async (interaction, args, context) => {
  requireModerator(interaction, context.discord);
  const corpus = requireCorpus(context);
  const page = Number(args[0]);
  await interaction.update(
    renderCorpusList(await corpus.list(), await corpus.log(LOG_LINES), Number.isInteger(page) && page > 0 ? page : 1),
  );
};

/**
 * *Remove* under `/corpus remove`'s question: finds the article by its key (it may have gone
 * meanwhile), replaces the question with the progress of the removal and its reindex, and then
 * with what was removed.
 */
const handleRemove: ComponentHandler<ButtonInteraction> = async (interaction, args, context) => {
  requireModerator(interaction, context.discord);
  const corpus = requireCorpus(context);
  const article = (await corpus.list()).find((a) => articleKey(a.source) === args[0]);
  if (!article)
    throw new UserError(
      "ARTICLE_NOT_FOUND",
      "That article is no longer in the corpus (removed or renamed since); nothing was changed.",
    );
  await interaction.update({ content: "Removing…", embeds: [], components: [] });
  const progress = new CorpusProgress(interaction, context);
  await refusalInPlace(interaction, context, async () => {
    try {
      progress.step(`Removing ${safeText(article.source)}…`);
      const change = await corpus.remove(article.source, actorOf(interaction), progress.onProgress);
      await progress.settle();
      await interaction.editReply({ content: "", ...renderChange(change) });
    } finally {
      await progress.settle();
    }
  });
};

/** *Keep it*: the question goes, and nothing changes. */
const handleCancel: ComponentHandler<ButtonInteraction> = async (interaction, _args, context: DiscordContext) => {
  requireModerator(interaction, context.discord);
  await interaction.update({ content: "Nothing was removed.", embeds: [], components: [] });
};

/** `/corpus`'s buttons, by the kind their custom ids start with (see custom-ids.ts). */
export const CORPUS_BUTTONS: ReadonlyMap<string, ComponentHandler<ButtonInteraction>> = new Map([
  [CORPUS_ID.page, handlePage],
  [CORPUS_ID.remove, handleRemove],
  [CORPUS_ID.cancel, handleCancel],
]);
