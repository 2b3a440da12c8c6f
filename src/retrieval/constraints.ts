import type { ConceptSource } from "../embed/concept-source.js";
import type { TaggedToken } from "../text/nlp.js";
import { LIGHT_VERBS } from "../text/stopwords.js";

/**
 * What an answer must not contradict: the ranks the question names, whether it is negated, the
 * opposites of its words ("smallest" → large) and the places it asks "in". (Its figures, years
 * and months are terms of the role "number", which an answer must contain.) An answer sentence
 * that gives another rank or says "largest" answers another question.
 */
export interface QuestionConstraints {
  /**
   * Ordinals ("first", "second", "2nd"); `ofNoun` when one qualifies a noun or superlative ("the
   * second largest city", "the first call"), which an answer must then say too. An adverb ("Whom
   * did he meet first?") only rules out a sentence that gives another ordinal.
   */
  readonly ordinals: readonly { readonly word: string; readonly ofNoun: boolean }[];
  /** Whether a negation governs the question's predicate ("Why didn't…", "…never…"). */
  readonly negated: boolean;
  /**
   * Per modifier or action the question uses, the words that mean its opposite, and whether it
   * is part of a hyphenated compound ("lowest-ranking"), whose opposite is one too.
   */
  readonly opposites: readonly {
    readonly word: string;
    readonly antonyms: readonly string[];
    readonly inCompound: boolean;
  }[];
  /** Names asked about as locations ("in Beijing", "at the Kremlin"), lowercased. */
  readonly places: readonly string[];
}

const LOCATIVE: ReadonlySet<string> = new Set(["in", "at", "near", "inside", "outside"]);
const RANKS = /^(\d+(nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$/;
const ORDINAL_WORDS =
  /^(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|latest|next|previous)$/;

/** The ranks, negation, opposites and places the question names (see {@link QuestionConstraints}). */
export function constraintsOf(
  tagged: readonly TaggedToken[],
  conceptSource: ConceptSource | null,
): QuestionConstraints {
  const ordinals: { word: string; ofNoun: boolean }[] = [];
  let negated = false;
  tagged.forEach((t, i) => {
    if (ORDINAL_WORDS.test(t.normal) && t.pos !== "VERB") {
      // "the second largest", "the third objective" must be said; "the first…", "the previous…"
      // often go unsaid. The word ranked is the one after, or after a hyphen ("the 2nd-largest").
      const next = tagged[i + 1]?.normal === "-" ? tagged[i + 2] : tagged[i + 1];
      const ofNoun = RANKS.test(t.normal) && ["NOUN", "PROPN", "ADJ"].includes(next?.pos ?? "");
      ordinals.push({ word: t.normal, ofNoun });
    }
    if (/^(not|n't|never|no)$/.test(t.normal) && (t.normal !== "no" || tagged[i + 1]?.pos === "NOUN")) negated = true;
  });
  const opposites: { word: string; antonyms: readonly string[]; inCompound: boolean }[] = [];
  const antonymsOf = conceptSource?.antonyms?.bind(conceptSource);
  if (antonymsOf) {
    tagged.forEach((t, i) => {
      // Modifiers and actions: nouns' opposites (parent, father, import) sit beside them too often
      // to contradict, and "how many" asks, it does not say "many".
      if (!["ADJ", "ADV", "VERB"].includes(t.pos)) return;
      if (t.pos === "VERB" && LIGHT_VERBS.has(t.lemma)) return;
      if (tagged[i - 1]?.normal === "how" && /^(many|much)$/.test(t.normal)) return;
      // "warmly" has no opposite in WordNet, but "warm" has: "coolly" says the opposite.
      let antonyms = antonymsOf(t.normal);
      if (antonyms.length === 0 && t.pos === "ADV" && t.normal.endsWith("ly"))
        antonyms = antonymsOf(t.normal.slice(0, -2));
      const inCompound = tagged[i + 1]?.normal === "-" || tagged[i - 1]?.normal === "-";
      if (antonyms.length > 0) opposites.push({ word: t.normal, antonyms, inCompound });
    });
  }
  const places = tagged
    .filter((t, i) => t.pos === "PROPN" && t.entity === null && LOCATIVE.has(tagged[i - 1]?.normal ?? ""))
    .map((t) => t.normal);
  return { ordinals, negated, opposites, places };
}
