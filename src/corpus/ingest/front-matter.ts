import { stringify } from "yaml";

/** The fields written at the top of an article. */
export interface FrontMatter {
  readonly title: string;
  readonly author: string | null;
  readonly date: string | null;
  readonly url: string | null;
  /** Other fields a Markdown file already had, kept after the four above. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * An article file: YAML front matter (title, author, date, url — absent ones left out — then
 * any other fields) and the body. YAML quoting is the library's, so a title with a colon or a
 * quote cannot break the file.
 */
export function withFrontMatter(fields: FrontMatter, body: string): string {
  const data: Record<string, unknown> = { title: fields.title };
  if (fields.author !== null) data.author = fields.author;
  if (fields.date !== null) data.date = fields.date;
  if (fields.url !== null) data.url = fields.url;
  for (const [key, value] of Object.entries(fields.extra ?? {})) if (!(key in data)) data[key] = value;
  const yaml = stringify(data, { lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
  return `---\n${yaml}---\n\n${body.replace(/^\n+/, "").replace(/\s*$/, "\n")}`;
}
