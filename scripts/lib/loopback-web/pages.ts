import { minimalPdf } from "./minimal-pdf.js";

/** The article every format of the loopback web server carries, so tests can ask about it. */
export const ARTICLE = {
  title: "The Lighthouse Keepers of Skerry Point",
  author: "Maren Holt",
  date: "2024-03-18",
  paragraphs: [
    "For ninety years the lighthouse at Skerry Point was kept by three families who took turns living on the rock, rowing out with coal, oil and letters every second week of the winter.",
    "The last keeper, Ingrid Solberg, left the station in 1987 when the lamp was automated; she said the silence after the generator was switched off was louder than any storm she had known there.",
    "Today the keepers' cottage is a small museum. Visitors can climb the 114 steps to the lantern room, where the original Fresnel lens still turns slowly on its bed of mercury.",
    "Local historians are collecting the keepers' logbooks, which record shipwrecks, fog signals and the arrival of the first telephone cable to the island in 1931.",
  ],
} as const;

/** A news page as the web serves it: the article amid navigation, ads, a cookie banner and scripts. */
export const ARTICLE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${ARTICLE.title} | Coastal Gazette</title>
  <meta name="author" content="${ARTICLE.author}">
  <meta property="article:published_time" content="${ARTICLE.date}T08:30:00Z">
  <script>window.trackEverything = function () { document.title = "AD-SCRIPT-RAN"; };</script>
  <style>.ad { display: block; }</style>
</head>
<body>
  <header>
    <nav class="site-nav">
      <a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a>
      <a href="/subscribe">Subscribe for NAVIGATION-LINK-TEXT offers</a>
    </nav>
  </header>
  <div class="cookie-banner">We use cookies. COOKIE-BANNER-TEXT <button>Accept</button></div>
  <aside class="ad sidebar">ADVERTISEMENT: Buy SPONSORED-AD-TEXT boat insurance today!</aside>
  <main>
    <article>
      <h1>${ARTICLE.title}</h1>
      <p class="byline">By <span class="author">${ARTICLE.author}</span></p>
      ${ARTICLE.paragraphs.map((p) => `<p>${p}</p>`).join("\n      ")}
      <script>trackEverything("SCRIPT-TEXT-INSIDE-ARTICLE");</script>
    </article>
  </main>
  <aside class="related"><h2>Related</h2><ul><li><a href="/a">RELATED-LINK-ONE</a></li><li><a href="/b">RELATED-LINK-TWO</a></li></ul></aside>
  <footer>© Coastal Gazette. FOOTER-TEXT. <a href="/privacy">Privacy</a></footer>
</body>
</html>
`;

/** Words that appear only in the page's clutter: none may reach the converted article. */
export const CLUTTER_MARKERS = [
  "NAVIGATION-LINK-TEXT",
  "COOKIE-BANNER-TEXT",
  "SPONSORED-AD-TEXT",
  "SCRIPT-TEXT-INSIDE-ARTICLE",
  "AD-SCRIPT-RAN",
  "RELATED-LINK-ONE",
  "FOOTER-TEXT",
] as const;

/** A page that is all navigation: no article to read. */
export const NAV_ONLY_HTML = `<!doctype html>
<html><head><title>Index</title></head>
<body><nav><ul>${Array.from({ length: 12 }, (_, i) => `<li><a href="/s${i}">Section ${i}</a></li>`).join("")}</ul></nav>
<footer><a href="/about">About</a></footer></body></html>
`;

/** The article as Markdown with front matter. */
export const ARTICLE_MARKDOWN = `---
title: "${ARTICLE.title}"
author: "${ARTICLE.author}"
date: "${ARTICLE.date}"
---

${ARTICLE.paragraphs.join("\n\n")}
`;

/** The article as a PDF with a text layer. */
export function articlePdf(): Uint8Array {
  return minimalPdf({ title: ARTICLE.title, author: ARTICLE.author, paragraphs: ARTICLE.paragraphs });
}

/** A PDF with a page but no text layer, as a scan is. */
export function scannedPdf(): Uint8Array {
  return minimalPdf({ title: "Scanned page" });
}
