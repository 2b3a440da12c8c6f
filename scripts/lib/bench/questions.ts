import type { Passage } from "../../../src/corpus/passage.js";
import { Random } from "./random.js";

const OPENERS = ["What", "Why", "Who", "When", "Where", "How many", "How", "What did", "Why did", "Which"];

/**
 * Questions as people ask them about a corpus: a question word, then a fragment of one of its
 * sentences (four to nine words), sometimes with a word left out or a typo in the longest word,
 * as a hurried reader would type it. Deterministic for a seed.
 */
export function syntheticQuestions(passages: readonly Passage[], count: number, seed: number): string[] {
  if (passages.length === 0) return [];
  const random = Random.derive(seed, 0x9e57);
  const questions: string[] = [];
  for (let q = 0; q < count; q++) {
    const passage = random.pick(passages);
    const span = random.pick(
      passage.metadata.sentences.length > 0
        ? passage.metadata.sentences
        : [{ start: passage.metadata.start, end: passage.metadata.end }],
    );
    const sentence = passage.pageContent.slice(span.start - passage.metadata.start, span.end - passage.metadata.start);
    const words = sentence.split(/\s+/).filter((w) => w.length > 0);
    const length = Math.min(words.length, random.int(4, 9));
    const from = random.int(0, Math.max(0, words.length - length));
    let fragment = words.slice(from, from + length);
    if (fragment.length > 4 && random.chance(0.3)) fragment.splice(random.int(1, fragment.length - 1), 1);
    if (random.chance(0.25)) fragment = withTypo(fragment, random);
    const text = fragment.join(" ").replace(/[.,;:!?"“”‘’']+$/u, "");
    questions.push(`${random.pick(OPENERS)} ${text.charAt(0).toLowerCase()}${text.slice(1)}?`);
  }
  return questions;
}

/** Swaps two inner letters of the longest word ("Blinken" → "Bilnken"). */
function withTypo(words: readonly string[], random: Random): string[] {
  let longest = 0;
  words.forEach((w, i) => {
    if (w.length > (words[longest] ?? "").length) longest = i;
  });
  const w = words[longest] ?? "";
  if (w.length < 5) return [...words];
  const i = random.int(1, w.length - 3);
  const typo = w.slice(0, i) + (w[i + 1] ?? "") + (w[i] ?? "") + w.slice(i + 2);
  return words.map((x, j) => (j === longest ? typo : x));
}
