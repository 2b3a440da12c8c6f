import { Document } from "@langchain/core/documents";
import type { Passage } from "../../src/corpus/passage.js";

/** A passage of `text` (its id too) in article a.md: for steps that read only the text. */
export function passageOfText(text: string): Passage {
  const metadata = {
    id: text,
    source: "a.md",
    title: "A",
    url: null,
    paragraph: 1,
    paragraphEnd: 1,
    start: 0,
    end: text.length,
    sentences: [],
  };
  return new Document({ pageContent: text, metadata, id: text });
}
