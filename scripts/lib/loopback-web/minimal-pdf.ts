/** What a hand-made test PDF holds. */
export interface MinimalPdfOptions {
  /** Document information: the Title and Author a reader shows. */
  readonly title?: string;
  readonly author?: string;
  /** Paragraphs drawn as text, one or more lines each; none makes a PDF without a text layer. */
  readonly paragraphs?: readonly string[];
}

/**
 * A small, valid PDF 1.4 written by hand: one page, Helvetica text drawn with `Tj`, a blank
 * line between paragraphs, and a correct cross-reference table. With no paragraphs the page
 * only draws a filled rectangle, as a scanned page has pixels but no text layer. Tests build
 * their PDFs with it instead of carrying opaque binaries whose contents no one can read.
 */
export function minimalPdf(options: MinimalPdfOptions = {}): Uint8Array {
  const paragraphs = options.paragraphs ?? [];
  const lines: string[] = [];
  for (const p of paragraphs) {
    lines.push(...wrap(p, 80), "");
  }
  const content =
    paragraphs.length === 0
      ? "0.5 g 72 500 300 200 re f"
      : ["BT", "/F1 11 Tf", "14 TL", "72 760 Td", ...lines.map((l) => `(${escapePdf(l)}) Tj T*`), "ET"].join("\n");
  const info = [
    options.title === undefined ? "" : `/Title (${escapePdf(options.title)})`,
    options.author === undefined ? "" : `/Author (${escapePdf(options.author)})`,
  ].join(" ");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< ${info} >>`,
  ];
  let out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, "latin1"));
}

function escapePdf(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

/** Lines of at most `width` characters, cut between words. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
