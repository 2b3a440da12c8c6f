import type { User } from "discord.js";
import type { CorpusManager } from "../../curation/corpus-manager.js";
import type { Actor } from "../../curation/types.js";
import { UserError } from "../../errors.js";
import type { DiscordContext } from "../command.js";
import { safeText } from "../escape.js";
import type { MemberOf } from "../permissions.js";
import { notice } from "../render/message.js";
import type { EditsReply } from "./progress.js";

/** The corpus manager, or a `UserError` saying this bot cannot change its corpus. */
export function requireCorpus(context: DiscordContext): CorpusManager {
  const corpus = context.services.corpus;
  if (!corpus)
    throw new UserError(
      "CORPUS_OFF",
      context.services.unavailable.corpus ??
        "This bot can't change its corpus from Discord right now (its data folder or audit log is unavailable).",
    );
  return corpus;
}

/** Who is changing the corpus: the member's id, and the name the server shows for them (escaped where shown). */
export function actorOf(interaction: MemberOf & { readonly user: User }): Actor {
  const member = interaction.member;
  const nick = member && "displayName" in member ? member.displayName : (member?.nick ?? null);
  return { id: interaction.user.id, name: nick ?? interaction.user.displayName };
}

/**
 * Runs a corpus operation and makes any refusal it throws safe to show: those messages quote
 * titles, file names and links taken from articles ("already in the corpus as …"), which must
 * not format or mention in Discord any more than quoted passages may.
 */
export async function escapingRefusals<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.code, safeText(error.message), { cause: error });
    throw error;
  }
}

/**
 * Runs the part of a corpus change that follows the acknowledgement (a deferred reply, or a
 * button's updated message) and shows a refusal in that same reply, in place of the progress
 * ("Fetching…" becomes why the link was refused). The one error path would add it as a
 * follow-up instead, since the progress edits count as a reply; anything not a `UserError` is
 * still left to it.
 */
export async function refusalInPlace(
  interaction: EditsReply,
  context: DiscordContext,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await escapingRefusals(work);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    context.logger.info("interaction.refused", { interactionId: interaction.id, command: "corpus", code: error.code });
    await interaction.editReply({ content: notice(error.message), embeds: [], components: [] });
  }
}
