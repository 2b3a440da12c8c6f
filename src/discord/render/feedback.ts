import {
  ActionRowBuilder,
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonBuilder,
  ButtonStyle,
} from "discord.js";
import type { Vote } from "../../feedback/answer-log.js";
import { followUpId, voteId } from "../feedback/custom-ids.js";

/** What a vote looks like in buttons and acknowledgements. */
export const VOTE_EMOJI: Readonly<Record<Vote, string>> = { up: "👍", down: "👎" };

/**
 * The row under every answer: 👍 and 👎 (when the answer was logged, since a vote needs the
 * log's id) and "Follow up", then any `extra` buttons ("Post publicly").
 */
export function feedbackRow(
  answerId: string | null,
  extra: readonly APIButtonComponent[] = [],
): APIActionRowComponent<APIButtonComponent> {
  const buttons: ButtonBuilder[] = [];
  if (answerId !== null)
    for (const vote of ["up", "down"] as const)
      buttons.push(
        new ButtonBuilder()
          .setCustomId(voteId(vote, answerId))
          .setStyle(ButtonStyle.Secondary)
          .setEmoji(VOTE_EMOJI[vote]),
      );
  buttons.push(
    new ButtonBuilder().setCustomId(followUpId(answerId)).setStyle(ButtonStyle.Primary).setLabel("Follow up"),
  );
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON();
  return { ...row, components: [...row.components, ...extra] };
}
