import model from "wink-eng-lite-web-model";
import winkNLP, { type ItemEntity, type WinkMethods } from "wink-nlp";
import { foldText } from "./normalize.js";

/**
 * One token of a text as wink-nlp's English model reads it: universal part of speech, lemma,
 * the type of entity it belongs to (wink's lite model finds DATE, TIME, DURATION, CARDINAL,
 * ORDINAL, MONEY, PERCENT… — not people or places: those are PROPN tokens) and whether a
 * negation ("not", "n't", "never") governs it.
 */
export interface TaggedToken {
  /** The token as written. */
  readonly text: string;
  /** Lowercased, with typographic quotes folded (as `normalize.words` reads words). */
  readonly normal: string;
  /** Universal POS tag: NOUN, PROPN, VERB, AUX, ADJ, ADV, NUM, PRON, DET, ADP, PART, PUNCT… */
  readonly pos: string;
  readonly lemma: string;
  /** Entity type of the span the token is in, or null. */
  readonly entity: string | null;
  /** Whether the token is in the scope of a negation. */
  readonly negated: boolean;
}

let nlp: WinkMethods | null = null;

/** The English pipeline, loaded on first use (about 80 ms; the model ships inside its npm package). */
function pipeline(): WinkMethods {
  nlp ??= winkNLP(model, ["sbd", "negation", "pos", "ner"]);
  return nlp;
}

/** Tags a text: parts of speech, lemmas, entity types and negation, offline. */
export function tag(text: string): TaggedToken[] {
  const p = pipeline();
  const its = p.its;
  const doc = p.readDoc(text);
  const tokens = doc.tokens();
  const texts = tokens.out(its.value) as string[];
  const pos = tokens.out(its.pos) as string[];
  // wink's typings declare `its.lemma` with a narrower signature than `out` takes; it works as documented.
  const lemmas = tokens.out(its.lemma as unknown as typeof its.value) as string[];
  const negated = tokens.out(its.negationFlag) as unknown as boolean[];
  const entity: (string | null)[] = texts.map(() => null);
  doc.entities().each((e: ItemEntity) => {
    const [from, to] = e.out(its.span) as unknown as [number, number];
    const type = e.out(its.type) as string;
    for (let i = from; i <= to; i++) entity[i] = type;
  });
  return texts.map((t, i) => ({
    text: t,
    normal: foldText(t),
    pos: pos[i] ?? "X",
    lemma: foldText(lemmas[i] ?? t),
    entity: entity[i] ?? null,
    negated: negated[i] ?? false,
  }));
}
