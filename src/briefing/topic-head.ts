import type { PartOfSpeech } from "wink-nlp";
import { tag } from "../text/nlp.js";

/** A word of a topic with its part of speech (Universal Dependencies tags, as wink-nlp gives them). */
export interface TaggedWord {
  readonly text: string;
  readonly pos: PartOfSpeech;
}

/** What a topic is about, read from its grammar: "the fentanyl crisis" is about fentanyl. */
export interface TopicHead {
  /** The head noun of the topic's noun phrase, passing over light nouns ("crisis", "issue"). */
  readonly head: string;
  /** Proper names that follow the head ("Ukraine" in "the war in Ukraine"), narrowing it: a point must name them too. */
  readonly names: readonly string[];
}

// Nouns that say what kind of thing is asked about, not what it is about: "the fentanyl crisis",
// "the Taiwan issue", "the balloon incident". An article that covers fentanyl covers the
// fentanyl crisis whether or not it calls it one.
const LIGHT_NOUNS = new Set(
  `crisis crises issue issues situation situations problem problems question questions debate debates story stories
thing things matter matters affair affairs saga sagas incident incidents episode episodes controversy controversies
scandal scandals stuff case cases side sides part parts angle angles aspect aspects overview summary topic topics
subject subjects theme themes point points news latest update updates coverage perspective perspectives
development developments business corpus article articles piece pieces text passage passages`.split(/\s+/),
);

/** Whether a word is a light noun: one that names a kind of subject ("crisis", "issue"), not a subject. */
export function isLightNoun(word: string): boolean {
  return LIGHT_NOUNS.has(word.toLowerCase());
}

// Tags that may make up a noun phrase: "the Chinese spy balloon", "Blinken's visit", "US-China relations".
const PHRASE_TAGS: ReadonlySet<PartOfSpeech> = new Set(["DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"]);

/**
 * The head of a tagged topic: the last noun of its first noun phrase that has one which is not a
 * light noun, and the proper names after that phrase (in "the war in Ukraine", "Ukraine") up to
 * a conjunction or comma ("fentanyl and Taiwan" names two topics, neither narrowing the other).
 * Null when the topic has no such noun ("the issue", "what is new").
 */
export function headOf(words: readonly TaggedWord[]): TopicHead | null {
  let i = 0;
  while (i < words.length) {
    const phrase: TaggedWord[] = [];
    for (; i < words.length; i++) {
      const w = words[i] as TaggedWord;
      // A hyphen inside a phrase ("US-China relations") keeps it together.
      if (PHRASE_TAGS.has(w.pos) || (w.pos === "PUNCT" && w.text === "-" && phrase.length > 0)) phrase.push(w);
      else if (phrase.length > 0) break;
    }
    const nouns = phrase.filter(
      (w) => (w.pos === "NOUN" || w.pos === "PROPN") && !LIGHT_NOUNS.has(w.text.toLowerCase()),
    );
    const head = nouns.at(-1);
    if (head) {
      const names: string[] = [];
      for (; i < words.length; i++) {
        const w = words[i] as TaggedWord;
        if (w.pos === "CCONJ" || (w.pos === "PUNCT" && w.text !== "-")) break;
        if (w.pos === "PROPN") names.push(w.text);
      }
      return { head: head.text, names };
    }
    i++;
  }
  return null;
}

/** The topic's words with their parts of speech, tagged by wink-nlp's English model (text/nlp.ts), offline. */
export async function tagTopic(topic: string): Promise<TaggedWord[]> {
  return tag(topic).map((t) => ({ text: t.text, pos: t.pos as PartOfSpeech }));
}

/** The head of a topic as written (see {@link headOf}). */
export async function topicHead(topic: string): Promise<TopicHead | null> {
  return headOf(await tagTopic(topic));
}
