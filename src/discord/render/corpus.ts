import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import { describeBuild } from "../../commands/reindex.js";
import type { AuditEntry, CorpusArticle, CorpusArticleDetails, CorpusChange } from "../../curation/types.js";
import { CORPUS_ID, pageId, removeId } from "../corpus/custom-ids.js";
import { safeText } from "../escape.js";
import { DISCORD_LIMITS, fitEmbed, truncate } from "../limits.js";
import { COLOURS, type RenderedMessage } from "./message.js";

/** Articles on one page of `/corpus list`: ten lines stay readable and well within an embed's 4,096 characters. */
export const ARTICLES_PER_PAGE = 10;
/** Recent changes shown under the list (the whole log is `npm run corpus -- log`). */
export const LOG_LINES = 5;
/** Characters of a title in a list line, of a first paragraph, and of a preview. */
const TITLE_CHARS = 120;
const PARAGRAPH_CHARS = 1000;
const PREVIEW_CHARS = 300;

/** How many pages `count` articles fill (at least one, for the empty list). */
export function pageCount(count: number): number {
  return Math.max(1, Math.ceil(count / ARTICLES_PER_PAGE));
}

/**
 * One page of `/corpus list`: each article's title, source file, passages, and who added it and
 * when (mention-free: a name, never a mention); the latest changes from the audit log below;
 * ◀ and ▶ buttons when there is more than one page. `page` is clamped to the pages there are.
 */
export function renderCorpusList(
  articles: readonly CorpusArticle[],
  log: readonly AuditEntry[],
  page: number,
): RenderedMessage {
  const pages = pageCount(articles.length);
  const current = Math.min(Math.max(1, Math.trunc(page)), pages);
  const start = (current - 1) * ARTICLES_PER_PAGE;
  const lines = articles.slice(start, start + ARTICLES_PER_PAGE).map((a, i) => articleLine(a, start + i + 1));
  const passages = articles.reduce((sum, a) => sum + a.passages, 0);
  const embed: APIEmbed = {
    color: COLOURS.info,
    title: `The corpus: ${articles.length} article${articles.length === 1 ? "" : "s"}, ${passages} passages`,
    description:
      lines.length > 0 ? lines.join("\n") : "The corpus folder holds no articles. Add one with `/corpus add`.",
    footer: { text: `Page ${current} of ${pages}` },
  };
  if (log.length > 0) embed.fields = [{ name: "Latest changes", value: log.map(logLine).join("\n") }];
  const components: APIActionRowComponent<APIButtonComponent>[] =
    pages > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              pageButton("◀ Previous", current - 1, current <= 1),
              pageButton("Next ▶", current + 1, current >= pages),
            ],
          },
        ]
      : [];
  return { embeds: [fitEmbed(embed)], components };
}

function pageButton(label: string, page: number, disabled: boolean): APIButtonComponent {
  // A disabled button still needs a unique custom id; the page it names is never shown.
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: pageId(page), label, disabled };
}

function articleLine(a: CorpusArticle, n: number): string {
  const added = a.addedBy && a.addedAt ? ` · added by ${safeText(a.addedBy)} ${when(a.addedAt)}` : "";
  return `${n}. **${safeText(truncate(a.title, TITLE_CHARS))}** (${safeText(a.source)}) · ${a.passages} passage${a.passages === 1 ? "" : "s"}${added}`;
}

function logLine(e: AuditEntry): string {
  const undone = e.undone ? " (undone)" : "";
  return `${when(e.at)} ${safeText(e.actor.name)}: ${e.action} ${safeText(truncate(e.title || e.source, 80))}${undone}`;
}

/** A time as Discord shows it in each reader's zone, relative ("3 hours ago"). */
function when(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(seconds) ? `<t:${seconds}:R>` : safeText(iso);
}

/** `/corpus show`: the article's front matter, its passages and its first paragraph, quoted as any text from the corpus is. */
export function renderArticle(a: CorpusArticleDetails): RenderedMessage {
  const matter = Object.entries(a.frontMatter);
  const embed: APIEmbed = {
    color: COLOURS.info,
    title: safeText(truncate(a.title, DISCORD_LIMITS.embedTitle - 20)),
    description: a.firstParagraph ? `> ${safeText(truncate(a.firstParagraph, PARAGRAPH_CHARS))}` : "(no text)",
    fields: [
      { name: "Source", value: safeText(a.source), inline: true },
      { name: "Passages", value: String(a.passages), inline: true },
      ...matter.map(([key, value]) => ({ name: safeText(truncate(key, 100)), value: safeText(truncate(value, 300)) })),
    ],
  };
  return { embeds: [fitEmbed(embed)], components: [] };
}

/** The question `/corpus remove` asks before anything changes, with the *Remove* and *Keep it* buttons. */
export function renderRemoveQuestion(a: CorpusArticle): RenderedMessage {
  const embed: APIEmbed = {
    color: COLOURS.error,
    title: "Remove this article from the corpus?",
    description: `**${safeText(truncate(a.title, TITLE_CHARS))}** (${safeText(a.source)}), ${a.passages} passage${a.passages === 1 ? "" : "s"}.\nThe index is rebuilt without it; \`/corpus undo\` brings it back.`,
  };
  return {
    embeds: [fitEmbed(embed)],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: removeId(a.source), label: "Remove" },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: CORPUS_ID.cancel, label: "Keep it" },
        ],
      },
    ],
  };
}

const DONE: Record<CorpusChange["action"], string> = {
  add: "Added",
  replace: "Replaced",
  remove: "Removed",
  undo: "Undid",
};

/**
 * What a change did: the article, its passages, a one-line preview of its text, and the
 * reindex's summary. Text from the article is escaped and mention-free like any quoted passage.
 */
export function renderChange(change: CorpusChange): RenderedMessage {
  const what = change.action === "undo" ? `the last ${change.undid ?? "change"}: ${change.title}` : change.title;
  const embed: APIEmbed = {
    color: change.action === "remove" ? COLOURS.info : COLOURS.answer,
    title: safeText(truncate(`${DONE[change.action]} ${what}`, DISCORD_LIMITS.embedTitle - 20)),
    description: change.preview ? `> ${safeText(truncate(change.preview, PREVIEW_CHARS))}` : "",
    fields: [
      { name: "Article", value: safeText(change.source), inline: true },
      { name: "Passages", value: String(change.passages), inline: true },
      { name: "Reindex", value: safeText(describeBuild(change.build)) },
    ],
  };
  return { embeds: [fitEmbed(embed)], components: [] };
}
