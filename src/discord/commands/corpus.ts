import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { addIncoming } from "../../commands/corpus.js";
import { fetchArticle } from "../../corpus/fetch/fetch-article.js";
import type { IncomingArticle } from "../../corpus/ingest/convert-article.js";
import type { CorpusManager } from "../../curation/corpus-manager.js";
import type { CorpusArticle } from "../../curation/types.js";
import { UserError } from "../../errors.js";
import type { Command, DiscordContext } from "../command.js";
import { downloadAttachment } from "../corpus/attachment.js";
import { actorOf, escapingRefusals, refusalInPlace, requireCorpus } from "../corpus/intake.js";
import { CORPUS_INTAKE_DEFAULTS } from "../corpus/intake-limits.js";
import { CorpusProgress } from "../corpus/progress.js";
import { safeText } from "../escape.js";
import { truncate } from "../limits.js";
import { isModerator, requireModerator } from "../permissions.js";
import { LOG_LINES, renderArticle, renderChange, renderCorpusList, renderRemoveQuestion } from "../render/corpus.js";

/** Autocomplete offers at most this many articles: Discord's limit. */
const CHOICES = 25;
/** Discord's limit on a choice's name and value. */
const CHOICE_CHARS = 100;

const FORMATS = ".md, .txt, .html or .pdf";

/**
 * `/corpus`: moderators grow and prune the corpus from Discord. Every subcommand is for
 * moderators (as `/reindex`) and answers privately; every change is made by the corpus manager
 * (one at a time, snapshotted for undo, audited), and its reindex shows progress by editing the
 * reply.
 */
export const corpusCommand = {
  data: new SlashCommandBuilder()
    .setName("corpus")
    .setDescription("Add, list, show, remove articles of the corpus, or undo the last change (moderators)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName("add")
        .setDescription(`Add an article from a file (${FORMATS}) or a link, then reindex`)
        .addAttachmentOption((o) => o.setName("file").setDescription(`The article: ${FORMATS}`))
        .addStringOption((o) =>
          o.setName("url").setDescription("A link to the article (http or https)").setMaxLength(2000),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("list")
        .setDescription("The articles, who added them and when, and the latest changes")
        .addIntegerOption((o) => o.setName("page").setDescription("Which page (default 1)").setMinValue(1)),
    )
    .addSubcommand((s) =>
      s
        .setName("show")
        .setDescription("An article's front matter and first paragraph")
        .addStringOption((o) =>
          o.setName("article").setDescription("Its title").setRequired(true).setAutocomplete(true),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("remove")
        .setDescription("Remove an article (asks first), then reindex")
        .addStringOption((o) =>
          o.setName("article").setDescription("Its title").setRequired(true).setAutocomplete(true),
        ),
    )
    .addSubcommand((s) => s.setName("undo").setDescription("Revert the last change to the corpus, then reindex")),
  async execute(interaction, context) {
    requireModerator(interaction, context.discord);
    const corpus = requireCorpus(context);
    const subcommand = interaction.options.getSubcommand();
    switch (subcommand) {
      case "add":
        return add(interaction, context);
      case "list":
        await interaction.reply({
          ...renderCorpusList(
            await corpus.list(),
            await corpus.log(LOG_LINES),
            interaction.options.getInteger("page") ?? 1,
          ),
          flags: MessageFlags.Ephemeral,
        });
        return;
      case "show": {
        const article = await findArticle(corpus, interaction.options.getString("article", true));
        const details = await escapingRefusals(() => corpus.show(article.source));
        await interaction.reply({ ...renderArticle(details), flags: MessageFlags.Ephemeral });
        return;
      }
      case "remove": {
        const article = await findArticle(corpus, interaction.options.getString("article", true));
        // Nothing changes until the Remove button (corpus-remove:<key>) is pressed.
        await interaction.reply({ ...renderRemoveQuestion(article), flags: MessageFlags.Ephemeral });
        return;
      }
      case "undo":
        return undo(interaction, context, corpus);
      default:
        throw new UserError("UNKNOWN_SUBCOMMAND", `This bot doesn't know /corpus ${subcommand}.`);
    }
  },
  async autocomplete(interaction, context) {
    // A member who may not use the command learns nothing from it, not even the titles.
    const corpus = context.services.corpus;
    if (!corpus || !isModerator(interaction, context.discord)) {
      await interaction.respond([]);
      return;
    }
    await interaction.respond(await articleChoices(corpus, interaction));
  },
} satisfies Command;

async function add(interaction: ChatInputCommandInteraction, context: DiscordContext): Promise<void> {
  const file = interaction.options.getAttachment("file");
  const url = interaction.options.getString("url")?.trim() || null;
  if ((file === null) === (url === null))
    throw new UserError(
      "ARTICLE_SOURCE",
      file ? "Give a file or a url, not both." : `Give the article as a file (${FORMATS}) or a url.`,
    );
  // A link may take up to the fetch time limit: acknowledge at once, then edit.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const limits = { ...CORPUS_INTAKE_DEFAULTS, ...context.corpusIntake };
  const progress = new CorpusProgress(interaction, context);
  await refusalInPlace(interaction, context, async () => {
    try {
      let incoming: IncomingArticle;
      if (file) {
        progress.step(`Downloading ${safeText(file.name)}…`);
        incoming = await downloadAttachment(file, {
          maxBytes: limits.maxBytes,
          timeoutMs: limits.fetchTimeoutMs,
          extraOrigins: context.discord.apiUrl ? [new URL(context.discord.apiUrl).origin] : [],
        });
      } else {
        progress.step(`Fetching ${safeText(truncate(url ?? "", 300))}…`);
        incoming = await fetchArticle(url ?? "", {
          maxBytes: limits.maxBytes,
          timeoutMs: limits.fetchTimeoutMs,
          allowPrivate: limits.allowPrivate,
          logger: context.logger,
        });
      }
      // Converted and added as `npm run corpus -- add` does, through the same operation.
      progress.step(`Converting and adding ${safeText(incoming.name)}…`);
      const change = await addIncoming(
        context.services,
        incoming,
        actorOf(interaction),
        { maxBytes: limits.maxBytes, fetchTimeoutMs: limits.fetchTimeoutMs, fetchAllowPrivate: limits.allowPrivate },
        progress.onProgress,
      );
      await progress.settle();
      await interaction.editReply({ content: "", ...renderChange(change) });
    } finally {
      // A refusal replaces the progress, so it must come after any progress edit in flight.
      await progress.settle();
    }
  });
}

async function undo(
  interaction: ChatInputCommandInteraction,
  context: DiscordContext,
  corpus: CorpusManager,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const progress = new CorpusProgress(interaction, context);
  await refusalInPlace(interaction, context, async () => {
    try {
      progress.step("Undoing the last change to the corpus…");
      const change = await corpus.undo(actorOf(interaction), progress.onProgress);
      await progress.settle();
      await interaction.editReply({ content: "", ...renderChange(change) });
    } finally {
      await progress.settle();
    }
  });
}

/**
 * The article a moderator named: autocomplete sends its source, but a moderator may also type a
 * title (or a source) and send it without picking a choice.
 */
export async function findArticle(corpus: CorpusManager, named: string): Promise<CorpusArticle> {
  const articles = await corpus.list();
  const wanted = named.trim();
  const bySource = articles.find((a) => a.source === wanted || a.source === `${wanted}.md`);
  if (bySource) return bySource;
  const byTitle = articles.filter((a) => a.title.toLowerCase() === wanted.toLowerCase());
  const [only] = byTitle;
  if (only && byTitle.length === 1) return only;
  if (byTitle.length > 1)
    throw new UserError(
      "ARTICLE_AMBIGUOUS",
      `${byTitle.length} articles are titled “${safeText(truncate(wanted, 200))}”; pick one from the list as you type.`,
    );
  throw new UserError(
    "ARTICLE_NOT_FOUND",
    `No article in the corpus is called “${safeText(truncate(wanted, 200))}”; pick one from the list as you type, or see /corpus list.`,
  );
}

async function articleChoices(corpus: CorpusManager, interaction: AutocompleteInteraction) {
  const typed = String(interaction.options.getFocused());
  return (await corpus.titles(typed))
    .filter((a) => a.source.length <= CHOICE_CHARS)
    .slice(0, CHOICES)
    .map((a) => ({ name: truncate(`${a.title} (${a.source})`, CHOICE_CHARS), value: a.source }));
}
