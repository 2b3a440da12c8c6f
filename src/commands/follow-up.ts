import type { Answer, OnPartialAnswer } from "../answer/answer.js";
import { stems } from "../text/analyze.js";
import { type TaggedToken, tag } from "../text/nlp.js";
import { ask, cleanQuestion } from "./ask.js";
import { isOverviewRequest } from "./overview.js";
import type { Services } from "./services.js";

// "and what about Taiwan?", "how about the balloon", "what of Qin?", "ok, and Taiwan?", "Taiwan too?"
const ABOUT = /^(?:(?:and|but|so|ok(?:ay)?|also|then)[,\s]+)*(?:what|how)\s+(?:about|of)\s+(.+?)[?.!\s]*$/i;
const WHAT_OF = /^(?:(?:and|but|so|ok(?:ay)?|also)[,\s]+)*what\s+of\s+(.+?)[?.!\s]*$/i;
const AND_X = /^(?:and|but|also|ok(?:ay)?,?\s+and)\s+(.+?)[?.!\s]*$/i;
const X_TOO = /^(.+?)\s+(?:too|as well|also)[?.!\s]*$/i;
// The slot a topic fills in the previous question: "what did China say about fentanyl" → "about ___".
const TOPIC_SLOT = /\b(about|regarding|concerning|on the subject of|with respect to|in terms of)\s+(.+)$/i;

/** Words that stand for something said before, by what they can stand for. */
const SUBJECT = new Set(["he", "she"]);
const OBJECT = new Set(["him", "her"]);
const POSSESSIVE = new Set(["his", "her", "its", "their"]);
const PLURAL = new Set(["they", "them", "their"]);
const THING = new Set(["it", "its", "this", "that"]);

/** What the previous question was about: its names (runs of proper nouns) and its last noun phrase. */
interface Referents {
  /** Runs of proper nouns, in order ("Antony Blinken", "China"). */
  readonly names: readonly string[];
  /** The last noun phrase ("the February visit"), or the last name when it has none. */
  readonly thing: string | null;
  /** The last plural noun phrase ("the talks"), for "they". */
  readonly plural: string | null;
}

function referentsOf(tokens: readonly TaggedToken[]): Referents {
  const names: string[] = [];
  let thing: string | null = null;
  let plural: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.pos === "PROPN") {
      let j = i;
      // One name may run across "of" and "the": "Great Fire of London", "Bank of the West".
      for (;;) {
        if (tokens[j + 1]?.pos === "PROPN") j++;
        else if (tokens[j + 1]?.normal === "of" && tokens[j + 2]?.pos === "PROPN") j += 2;
        else if (tokens[j + 1]?.normal === "of" && tokens[j + 2]?.normal === "the" && tokens[j + 3]?.pos === "PROPN")
          j += 3;
        else break;
      }
      names.push(
        tokens
          .slice(i, j + 1)
          .map((x) => x.text)
          .join(" "),
      );
      i = j;
    } else if (t.pos === "NOUN") {
      // The phrase: determiner, adjectives, proper and common nouns before it, nouns after it.
      let from = i;
      while (from > 0 && ["DET", "ADJ", "NOUN", "PROPN", "NUM"].includes(tokens[from - 1]?.pos ?? "")) from--;
      let to = i;
      while (tokens[to + 1]?.pos === "NOUN") to++;
      // A question's own word ("what trade measures") is not part of the thing referred to.
      const phrase = tokens
        .slice(from, to + 1)
        .map((x) => x.text)
        .join(" ")
        .replace(/^(what|which|whose)\s+/i, "");
      thing = phrase;
      const head = tokens[to];
      if (head && head.normal !== head.lemma && head.normal.endsWith("s")) plural = phrase;
      i = to;
    }
  }
  return { names, thing: thing ?? names.at(-1) ?? null, plural };
}

/** The topic of an elliptical follow-up ("and what about Taiwan?" → "Taiwan"), or null. */
function ellipticalTopic(followUp: string, tokens: readonly TaggedToken[]): string | null {
  const about = ABOUT.exec(followUp)?.[1] ?? WHAT_OF.exec(followUp)?.[1];
  if (about) return about;
  // "and Taiwan?" or "Taiwan too?" only when what remains is a noun phrase, not a new question.
  const hasVerb = tokens.some((t) => t.pos === "VERB" || t.pos === "AUX");
  const wh =
    /^(?:and|but|also|ok)?[,\s]*(what|who|whom|when|where|why|how|which|did|does|do|is|are|was|were|can|will)\b/i;
  if (hasVerb || wh.test(followUp.replace(/^(and|but|also|ok(?:ay)?)[,\s]+/i, ""))) return null;
  return AND_X.exec(followUp)?.[1] ?? X_TOO.exec(followUp)?.[1] ?? null;
}

/** `previous` with its topic replaced by `topic`, or the topic added to it. */
function withTopic(previous: string, topic: string): string {
  if (TOPIC_SLOT.test(previous)) return previous.replace(TOPIC_SLOT, (_, word: string) => `${word} ${topic}`);
  return `${previous}, regarding ${topic}`;
}

/** The follow-up with its pronouns replaced by what the previous question named. */
function withReferents(tokens: readonly TaggedToken[], referents: Referents): string | null {
  // A name the follow-up says itself is not what its pronouns stand for ("when did Biden last meet him?").
  const own = new Set(tokens.map((t) => t.normal));
  const names = referents.names.filter((n) => !n.split(" ").some((w) => own.has(w.toLowerCase())));
  // A subject pronoun most often takes up the previous subject, an object pronoun its object.
  const person = names[0] ?? null;
  const object = names.at(-1) ?? null;
  let replaced = false;
  const out = tokens.map((t, i) => {
    const next = tokens[i + 1];
    const word = t.normal;
    // "that" and "this" are pronouns only standing alone ("what does that mean"), not before a noun.
    const isPronoun = t.pos === "PRON" || (POSSESSIVE.has(word) && t.pos === "DET");
    if (!isPronoun) return t.text;
    let referent: string | null = null;
    if (POSSESSIVE.has(word) && (next?.pos === "NOUN" || next?.pos === "ADJ" || next?.pos === "PROPN")) {
      const owner = word === "its" ? referents.thing : word === "their" ? (referents.plural ?? person) : person;
      referent = owner ? `${owner}’s` : null;
    } else if (SUBJECT.has(word)) referent = person;
    // "what did she explain with him?": him is not whoever she is.
    else if (OBJECT.has(word))
      referent = tokens.some((x) => SUBJECT.has(x.normal)) && object === person ? referents.thing : object;
    else if (PLURAL.has(word))
      referent = referents.plural ?? (referents.names.length > 1 ? referents.names.join(" and ") : person);
    else if (THING.has(word)) referent = referents.thing;
    if (referent === null) return t.text;
    replaced = true;
    return referent;
  });
  return replaced ? joinTokens(out) : null;
}

/** Tokens back into text: no space before punctuation or after an opening quote. */
function joinTokens(tokens: readonly string[]): string {
  return tokens.reduce((text, t) => (text === "" || /^[?.!,;:’'")\]]/.test(t) ? text + t : `${text} ${t}`), "");
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The follow-up as understood after the previous question: an elliptical one ("and what about
 * Taiwan?") takes the previous question with its topic replaced by the new one (or added to
 * it); pronouns ("what did he say?", "why was it called off?") are replaced by what the
 * previous question named; a bare "why?" asks it of the previous question; a follow-up that
 * stands on its own is left as it is. Both questions are cleaned first (a `UserError` for an
 * empty or over-long one).
 */
export function resolveFollowUp(previous: string, followUp: string): string {
  const before = cleanQuestion(previous).replace(/[?.!\s]+$/, "");
  const asked = cleanQuestion(followUp);
  const tokens = tag(asked);
  const referents = referentsOf(tag(before));
  const topic = ellipticalTopic(asked, tokens);
  // The topic may itself refer back: "and his view on the chips?"
  if (topic) return `${capitalised(withTopic(before, withReferents(tag(topic), referents) ?? topic))}?`;
  const content = tokens.filter((t) => ["NOUN", "PROPN", "VERB", "ADJ", "NUM"].includes(t.pos));
  // "why?", "how so?", "when?": the same question, asked that way.
  if (content.length === 0 && !tokens.some((t) => t.pos === "PRON"))
    return `${capitalised(asked.replace(/[?.!\s]+$/, ""))}: ${before}?`;
  const resolved = withReferents(tokens, referents);
  if (resolved) return capitalised(resolved);
  // "and how many died?": a question that leans on the one before, naming nothing itself, is about its subject.
  const subject = referents.names[0] ?? referents.thing;
  const leans = /^(and|but|so|also|then|ok(?:ay)?)\b/i.test(asked) || content.length <= 2;
  if (subject && leans && !tokens.some((t) => t.pos === "PROPN"))
    return `${capitalised(asked.replace(/[?.!\s]+$/, ""))} (about ${subject})?`;
  return asked;
}

/** Answers a follow-up in the context of the previous question; the answer's question is the one understood. */
export async function askFollowUp(
  services: Services,
  previous: string,
  raw: string,
  onPartial?: OnPartialAnswer,
): Promise<Answer> {
  const asked = cleanQuestion(raw);
  // "What is this article about?" asks about the corpus, whatever came before.
  if (isOverviewRequest(asked)) return ask(services, raw, onPartial);
  const understood = resolveFollowUp(previous, raw);
  return ask(services, (await keepsNewWords(services, previous, asked, understood)) ? understood : asked, onPartial);
}

/**
 * Whether the question as understood still answers what the follow-up adds. The previous
 * question's words can outweigh the follow-up's ("what are the main issues…" + "what about the
 * warships?" finds the main issues again): when the quoted answer to the understood question
 * says too few of the follow-up's new words (under half) and the follow-up alone finds an answer that does, the
 * follow-up is taken as it stands. Quoted answers decide, so a model is asked once, at most.
 */
async function keepsNewWords(
  services: Services,
  previous: string,
  asked: string,
  understood: string,
): Promise<boolean> {
  if (understood === asked) return true;
  const before = new Set(stems(previous));
  const fresh = new Set(stems(asked).filter((s) => !before.has(s)));
  if (fresh.size === 0) return true;
  const answerer = services.answerer();
  // Most of the new words, each as itself or a related word ("died" in "deaths"), not just one of them.
  const says = async (question: string) => {
    const decision = await answerer.decide(question);
    if (decision.answer.abstained) return false;
    const text = answerer.matcher.prepare(decision.answer.answer);
    const wanted = decision.question.terms.filter((t) => fresh.has(t.stem));
    return wanted.filter((t) => answerer.matcher.match(t, text) > 0).length * 2 >= Math.max(1, wanted.length);
  };
  if (await says(understood)) return true;
  return !(await says(asked));
}
