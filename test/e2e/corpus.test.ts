/**
 * `/corpus` end to end: the real discord.js Client and our handlers, the real corpus manager
 * (files, snapshots, SQLite audit log), the real converters and the real index, against the
 * loopback Discord, with a loopback web server for links. Only the network peers are fake.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type APIAttachment, type APIEmbed, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  autocomplete,
  button,
  chatInput,
  DEFAULT_MEMBER_PERMISSIONS,
  discordConfigFor,
  type FakeDiscord,
  type RecordedCall,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { type LoopbackWeb, minimalPdf, startLoopbackWeb } from "../../scripts/lib/loopback-web/index.js";
import type { Services } from "../../src/commands/services.js";
import { compose } from "../../src/compose.js";
import { Bot } from "../../src/discord/bot.js";
import type { CorpusIntake } from "../../src/discord/corpus/intake-limits.js";
import { createLogger } from "../../src/log.js";
import { SEED_CORPUS } from "../helpers/services.js";

const MANAGE_GUILD = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;
const MEMBER = DEFAULT_MEMBER_PERMISSIONS;

const KELP_MD = `---
title: "Kelp forests of the Pacific coast"
author: "Ada Marine"
date: "2024-03-01"
---
Kelp forests grow in cold, nutrient-rich water along the Pacific coast, where giant kelp can grow half a metre in a single day.

Sea otters keep the forests alive: they eat sea urchins, which would otherwise graze the kelp down to bare rock.

Where otters were hunted out in the nineteenth century, urchin barrens replaced the forests within a few decades.
`;

const LIGHTHOUSE_HTML = `<!doctype html><html><head><title>The lighthouse of Alexandria</title>
<meta name="author" content="Hero Pharos"><script>window.tracker = "track-me-script";</script></head>
<body><nav><a href="/">Home</a> <a href="/ads">Sponsored navigation link</a></nav>
<div class="ad">Buy cheap ferry tickets now, advertisement</div>
<article><h1>The lighthouse of Alexandria</h1>
<p>The lighthouse of Alexandria stood on the island of Pharos and was finished around 280 BC under Ptolemy II. Travellers called it one of the wonders of the ancient world.</p>
<p>Its fire burned at the top of a tower about one hundred metres tall, and a bronze mirror reflected the light far out to sea so that ships could find the harbour at night.</p>
<p>Earthquakes damaged the tower in the fourteenth century, and its stones were later reused in the fortress of Qaitbay, which still stands on the same spot.</p>
</article><footer>Copyright footer text</footer></body></html>`;

const NOT_AN_ARTICLE_HTML =
  "<!doctype html><html><head><title>Menu</title></head><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav></body></html>";

let fake: FakeDiscord;
let bot: Bot;
let services: Services;
let root: string;
let corpusDir: string;
let web: LoopbackWeb;

/** The loopback web server links point at: its pages, plus an article of our own and a 20 MB body. */
beforeAll(async () => {
  web = await startLoopbackWeb({ slowMs: 5000 });
  web.serve("/lighthouse.html", { type: "text/html; charset=utf-8", body: LIGHTHOUSE_HTML });
});

afterAll(async () => {
  await web.close();
});

async function startBot(intake: Partial<CorpusIntake> = { allowPrivate: true, fetchTimeoutMs: 1500 }): Promise<void> {
  root = await mkdtemp(join(tmpdir(), "passage-corpus-e2e-"));
  corpusDir = join(root, "corpus");
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
  const logger = createLogger({
    level: process.env.CORPUS_E2E_LOG ? "debug" : "error",
    write: (line) => void (process.env.CORPUS_E2E_LOG && process.stderr.write(`${line}\n`)),
  });
  ({ services } = await compose({
    paths: { corpusDir, indexDir: join(root, "data", "index"), dataDir: join(root, "data") },
    // As main composes the bot: with a corpus manager.
    corpus: {},
    logger,
    index: "open-or-build",
    version: "test",
  }));
  bot = new Bot({ discord: discordConfigFor(fake), services, logger, corpusIntake: intake });
  await bot.start();
}

beforeEach(async () => {
  fake = await startFakeDiscord();
});

afterEach(async () => {
  await bot?.stop();
  services?.corpus?.close();
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

interface Button {
  custom_id?: string;
  label?: string;
  disabled?: boolean;
}

interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: Button[] }[];
  flags?: number;
}

function callbackOf(id: string, timeoutMs = 5000): Promise<RecordedCall> {
  return fake.waitForCall((c) => c.method === "POST" && c.path.startsWith(`/interactions/${id}/`), timeoutMs);
}

function bodyOf(call: RecordedCall): { type: number; data: MessageBody } {
  return call.body as { type: number; data: MessageBody };
}

/** Waits until the interaction's reply (`@original`) says it is done: an embed, or an error notice. */
async function finalOf(id: string, done: (m: MessageBody) => boolean, timeoutMs = 8000): Promise<MessageBody> {
  const started = Date.now();
  for (;;) {
    const original = fake.originalOf(id) ?? fake.messageOf(id);
    if (original && done(original as MessageBody)) return original as MessageBody;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `no final reply: ${JSON.stringify(original?.content)} after ${JSON.stringify(editsOf(id))}; calls ${JSON.stringify(fake.calls.slice(-4).map((c) => [c.method, c.path.slice(0, 40), c.status, c.body]))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A reply is final once it has an embed, or a notice that is not progress (progress ends with "…"). */
const finished = (m: MessageBody) =>
  (m.embeds?.length ?? 0) > 0 || ((m.content ?? "") !== "" && !(m.content ?? "").endsWith("…"));

/** The final reply to an interaction: its reply when not deferred, else `@original` once it is final. */
async function outcomeOf(id: string): Promise<MessageBody> {
  const first = bodyOf(await callbackOf(id));
  return first.type === 5 ? finalOf(id, finished) : first.data;
}

/** Runs `/corpus <subcommand>` as a moderator (or a plain member) and returns the interaction id. */
function corpus(
  subcommand: string,
  options: Record<string, string | number | APIAttachment> = {},
  permissions = MANAGE_GUILD,
): string {
  return fake.pushInteraction(chatInput({ name: "corpus", subcommand, options, memberPermissions: permissions })).id;
}

/** Adds a file or link and waits for the final reply. */
async function add(options: Record<string, string | APIAttachment>): Promise<{ id: string; reply: MessageBody }> {
  const id = corpus("add", options);
  const first = bodyOf(await callbackOf(id));
  expect(first.type).toBe(5); // deferred: a link may take seconds
  expect(first.data.flags).toBe(MessageFlags.Ephemeral);
  return { id, reply: await finalOf(id, finished) };
}

function editsOf(id: string): string[] {
  const token = fake.calls.find((c) => c.path.startsWith(`/interactions/${id}/`))?.path.split("/")[3] ?? "?";
  return fake.calls
    .filter((c) => c.method === "PATCH" && c.path.includes(`/${token}/messages/@original`))
    .map((c) => (c.body as MessageBody).content ?? "");
}

function field(reply: MessageBody, name: string): string {
  return reply.embeds?.[0]?.fields?.find((f) => f.name === name)?.value ?? "";
}

async function corpusFiles(): Promise<string[]> {
  return (await readdir(corpusDir, { recursive: true })).map(String).sort();
}

describe("/corpus add", () => {
  beforeEach(() => startBot());

  it("adds a Markdown file: progress edits, then the passage count and a one-line preview; /ask cites it", async () => {
    const file = fake.upload({ name: "kelp.md", data: KELP_MD, contentType: "text/markdown" });
    const { id, reply } = await add({ file });
    expect(reply.embeds?.[0]?.title).toMatch(/^Added Kelp forests of the Pacific coast/);
    expect(Number(field(reply, "Passages"))).toBeGreaterThan(0);
    expect(reply.embeds?.[0]?.description).toMatch(/^> Kelp forests grow/);
    expect(field(reply, "Reindex")).toMatch(/Indexed 2 articles/);
    const edits = editsOf(id);
    expect(edits[0]).toMatch(/^Downloading kelp\.md/);
    expect(edits).toContain("Converting and adding kelp.md…");
    expect(fake.downloadsOf(file)).toBe(1);
    const written = (await corpusFiles()).find((f) => f.includes("kelp"));
    expect(written).toBeDefined();
    expect(await readFile(join(corpusDir, written ?? ""), "utf8")).toMatch(/author: .?Ada Marine/);

    const ask = fake.pushInteraction(chatInput({ name: "ask", options: { question: "What do sea otters eat?" } }));
    const answer = await finalOf(ask.id, (m) => (m.embeds?.length ?? 0) > 0);
    const cited = JSON.stringify(answer.embeds);
    expect(cited).toMatch(/sea urchins/);
    expect(cited).toMatch(/Kelp forests of the Pacific coast/);
  });

  it("adds an HTML file as its article text, without navigation, ads or scripts", async () => {
    const { reply } = await add({
      file: fake.upload({ name: "pharos.html", data: LIGHTHOUSE_HTML, contentType: "text/html" }),
    });
    expect(reply.embeds?.[0]?.title).toMatch(/^Added The lighthouse of Alexandria/);
    const name = (await corpusFiles()).find((f) => f.includes("lighthouse")) ?? "";
    const text = await readFile(join(corpusDir, name), "utf8");
    expect(text).toMatch(/island of Pharos/);
    expect(text).not.toMatch(/track-me-script|Sponsored navigation|advertisement|Copyright footer/);
  });

  it("adds a PDF's text layer", async () => {
    const pdf = minimalPdf({
      title: "Tidal power in Brittany",
      paragraphs: [
        "The Rance tidal power station in Brittany opened in 1966 and was for decades the largest of its kind.",
        "Its barrage spans the estuary of the Rance and turns the tide into electricity for about two hundred thousand homes.",
      ],
    });
    const { reply } = await add({
      file: fake.upload({ name: "rance.pdf", data: Buffer.from(pdf), contentType: "application/pdf" }),
    });
    expect(reply.embeds?.[0]?.title).toMatch(/^Added Tidal power in Brittany/);
    expect(reply.embeds?.[0]?.description).toMatch(/Rance tidal power station/);
  });

  it("adds an article from a link (the address rule lifted, as for an intranet)", async () => {
    const { id, reply } = await add({ url: `${web.url("/lighthouse.html")}` });
    expect(reply.embeds?.[0]?.title).toMatch(/^Added The lighthouse of Alexandria/);
    expect(editsOf(id)[0]).toMatch(/^Fetching http:\/\/127\.0\.0\.1/);
    const name = (await corpusFiles()).find((f) => f.includes("lighthouse")) ?? "";
    expect(await readFile(join(corpusDir, name), "utf8")).toContain(`${web.url("/lighthouse.html")}`);
  });

  it("refuses, privately and changing nothing: too large, binary, no text layer, no readable article, a duplicate, neither file nor url", async () => {
    await add({ file: fake.upload({ name: "kelp.md", data: KELP_MD }) });
    const before = await corpusFiles();
    const big = fake.upload({ name: "big.md", data: Buffer.alloc(6 * 1024 * 1024, "a") });
    const lying = fake.upload({ name: "lying.md", data: Buffer.alloc(6 * 1024 * 1024, "b"), size: 1000 });
    const cases: [Record<string, string | APIAttachment>, RegExp][] = [
      [{ file: big }, /larger than the 5 MB/],
      [{ file: lying }, /larger than the 5 MB/],
      [
        { file: fake.upload({ name: "blob.md", data: Buffer.from([0, 159, 146, 150, 0, 1, 2, 255, 254, 0]) }) },
        /binary|decod|text/i,
      ],
      [{ file: fake.upload({ name: "scan.pdf", data: Buffer.from(minimalPdf({ title: "Scan" })) }) }, /text layer/i],
      [{ file: fake.upload({ name: "menu.html", data: NOT_AN_ARTICLE_HTML }) }, /readable|article/i],
      [{ file: fake.upload({ name: "kelp-again.md", data: KELP_MD }) }, /already|duplicate|same/i],
      [{}, /Give the article as a file/],
    ];
    for (const [options, reason] of cases) {
      const reply = await outcomeOf(corpus("add", options));
      expect(reply.content, JSON.stringify(options)).toMatch(reason);
      expect(reply.embeds ?? []).toEqual([]);
      expect(reply.flags ?? 0).toBe(MessageFlags.Ephemeral);
    }
    // Discord's size is trusted to refuse before downloading; a size that lies is caught while streaming.
    expect(fake.downloadsOf(big)).toBe(0);
    expect(fake.downloadsOf(lying)).toBe(1);
    expect(await corpusFiles()).toEqual(before);
  });
  it("refuses links it cannot take: a 20 MB body, a server too slow, a page that is not an article", async () => {
    const before = await corpusFiles();
    const cases: [string, RegExp][] = [
      [web.url("/large"), /larger|5 MB|too large/i],
      [web.url("/slow"), /time|took|slow|seconds/i],
      [web.url("/nav-only.html"), /readable|article/i],
      [web.url("/image.png"), /type|image|format/i],
    ];
    for (const [url, reason] of cases) {
      const reply = await outcomeOf(corpus("add", { url }));
      expect(reply.content, url).toMatch(reason);
      expect(reply.embeds ?? []).toEqual([]);
    }
    expect(await corpusFiles()).toEqual(before);
  });
});

describe("/corpus add with the address rule on", () => {
  beforeEach(() => startBot({ allowPrivate: false }));

  it("refuses a link to a loopback address, fetching nothing", async () => {
    const before = await corpusFiles();
    const requested = web.requests.length;
    const urls = [
      web.url("/lighthouse.html"),
      web.url("/redirect"),
      "http://localhost:9/x.html",
      "http://[::1]:9/x.html",
    ];
    for (const url of urls) {
      const reply = await outcomeOf(corpus("add", { url }));
      expect(reply.embeds ?? []).toEqual([]);
      expect(reply.content).toMatch(/address|private|loopback|local/i);
    }
    expect(await corpusFiles()).toEqual(before);
    // Refused before connecting: the web server saw nothing.
    expect(web.requests.slice(requested)).toEqual([]);
  });
});

describe("/corpus list, show, remove and undo", () => {
  beforeEach(() => startBot());

  it("lists articles with who added them, mention-free, paged with buttons", async () => {
    await add({ file: fake.upload({ name: "kelp.md", data: KELP_MD }) });
    for (let i = 1; i <= 10; i += 1)
      await writeFile(
        join(corpusDir, `extra-${i}.md`),
        `# Extra article ${i}\n\nA filler paragraph about topic number ${i}.\n`,
      );
    await services.indexes.rebuild();
    const id = corpus("list");
    const first = bodyOf(await callbackOf(id));
    expect(first.type).toBe(4);
    expect(first.data.flags).toBe(MessageFlags.Ephemeral);
    const embed = first.data.embeds?.[0];
    expect(embed?.title).toMatch(/12 articles/);
    expect(embed?.footer?.text).toBe("Page 1 of 2");
    // An article put in the folder by hand was added by no one Passage knows.
    expect(embed?.description?.split("\n")[0]).toBe(
      "1. **Blinken’s visit to China — An Analysis** (blinken-china-visit.md) · 31 passages",
    );
    expect(embed?.fields?.[0]?.value).toMatch(/tester: add Kelp forests/);
    const buttons = first.data.components?.[0]?.components ?? [];
    expect(buttons.map((b) => [b.label, b.custom_id, b.disabled])).toEqual([
      ["◀ Previous", "corpus-page:0", true],
      ["Next ▶", "corpus-page:2", false],
    ]);
    const press = fake.pushInteraction(
      button({ customId: "corpus-page:2", memberPermissions: MANAGE_GUILD, message: fake.originalOf(id) ?? undefined }),
    );
    const next = bodyOf(await callbackOf(press.id));
    expect(next.type).toBe(7); // the list changes in place
    expect(next.data.embeds?.[0]?.footer?.text).toBe("Page 2 of 2");
    expect(next.data.embeds?.[0]?.description?.split("\n")).toEqual([
      "11. **Extra article 9** (extra-9.md) · 1 passage",
      expect.stringMatching(
        /^12\. \*\*Kelp forests of the Pacific coast\*\* \(kelp[^)]*\.md\) · \d+ passages · added by tester <t:\d+:R>$/,
      ),
    ]);
  });

  it("shows an article picked by autocomplete: its front matter and first paragraph", async () => {
    await add({ file: fake.upload({ name: "kelp.md", data: KELP_MD }) });
    const typing = fake.pushInteraction(
      autocomplete({
        name: "corpus",
        subcommand: "show",
        focused: { name: "article", value: "kelp" },
        memberPermissions: MANAGE_GUILD,
      }),
    );
    const answered = bodyOf(await callbackOf(typing.id));
    expect(answered.type).toBe(8);
    const choices = fake.choicesOf(typing.id) ?? [];
    expect(choices[0]?.name).toMatch(/^Kelp forests of the Pacific coast \(kelp/);
    const id = corpus("show", { article: String(choices[0]?.value) });
    const shown = bodyOf(await callbackOf(id)).data;
    expect(shown.flags).toBe(MessageFlags.Ephemeral);
    expect(shown.embeds?.[0]?.title).toBe("Kelp forests of the Pacific coast");
    expect(shown.embeds?.[0]?.description).toMatch(/^> Kelp forests grow in cold/);
    expect(field(shown, "author")).toBe("Ada Marine");
  });

  it("removes an article only after the Remove button, and undo brings it back", async () => {
    await add({ file: fake.upload({ name: "kelp.md", data: KELP_MD }) });
    const withKelp = await corpusFiles();
    const typing = fake.pushInteraction(
      autocomplete({
        name: "corpus",
        subcommand: "remove",
        focused: { name: "article", value: "Kel" },
        memberPermissions: MANAGE_GUILD,
      }),
    );
    await callbackOf(typing.id);
    const source = String(fake.choicesOf(typing.id)?.[0]?.value);

    const keep = corpus("remove", { article: source });
    await callbackOf(keep);
    const keepButton = fake.originalOf(keep)?.components?.[0];
    expect(JSON.stringify(keepButton)).toMatch(/corpus-remove:[0-9a-f]{20}.*corpus-cancel/);
    const cancel = fake.pushInteraction(
      button({
        customId: "corpus-cancel",
        memberPermissions: MANAGE_GUILD,
        message: fake.originalOf(keep) ?? undefined,
      }),
    );
    expect(bodyOf(await callbackOf(cancel.id)).data.content).toBe("Nothing was removed.");
    expect(await corpusFiles()).toEqual(withKelp);

    const ask = corpus("remove", { article: "kelp forests of the pacific coast" }); // a typed title works too
    const question = bodyOf(await callbackOf(ask)).data;
    expect(question.flags).toBe(MessageFlags.Ephemeral);
    expect(question.embeds?.[0]?.title).toBe("Remove this article from the corpus?");
    const removeButton = question.components?.[0]?.components[0]?.custom_id ?? "";
    const press = fake.pushInteraction(
      button({ customId: removeButton, memberPermissions: MANAGE_GUILD, message: fake.originalOf(ask) ?? undefined }),
    );
    expect(bodyOf(await callbackOf(press.id)).type).toBe(7);
    const removed = await finalOf(press.id, (m) => (m.embeds?.length ?? 0) > 0);
    expect(removed.embeds?.[0]?.title).toMatch(/^Removed Kelp forests/);
    expect(removed.components ?? []).toEqual([]);
    expect((await corpusFiles()).some((f) => f.includes("kelp"))).toBe(false);

    const undo = corpus("undo");
    expect(bodyOf(await callbackOf(undo)).type).toBe(5);
    const undone = await finalOf(undo, (m) => (m.embeds?.length ?? 0) > 0);
    expect(undone.embeds?.[0]?.title).toMatch(/^Undid the last remove/);
    expect(await corpusFiles()).toEqual(withKelp);
  });
});

describe("/corpus for a plain member", () => {
  beforeEach(() => startBot());

  it("refuses every subcommand and button, offers no titles, and changes nothing", async () => {
    const before = await corpusFiles();
    const attempts: [string, Record<string, string | APIAttachment>][] = [
      ["add", { file: fake.upload({ name: "kelp.md", data: KELP_MD }) }],
      ["add", { url: `${web.url("/lighthouse.html")}` }],
      ["list", {}],
      ["show", { article: "blinken-china-visit.md" }],
      ["remove", { article: "blinken-china-visit.md" }],
      ["undo", {}],
    ];
    for (const [subcommand, options] of attempts) {
      const id = corpus(subcommand, options, MEMBER);
      const reply = bodyOf(await callbackOf(id));
      expect(reply.type, subcommand).toBe(4);
      expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
      expect(reply.data.content).toMatch(/^Only moderators can do that/);
    }
    for (const customId of ["corpus-page:2", "corpus-remove:0123456789abcdef0123", "corpus-cancel"]) {
      const press = fake.pushInteraction(button({ customId, memberPermissions: MEMBER }));
      expect(bodyOf(await callbackOf(press.id)).data.content).toMatch(/^Only moderators can do that/);
    }
    const typing = fake.pushInteraction(
      autocomplete({
        name: "corpus",
        subcommand: "show",
        focused: { name: "article", value: "" },
        memberPermissions: MEMBER,
      }),
    );
    await callbackOf(typing.id);
    expect(fake.choicesOf(typing.id)).toEqual([]);
    expect(await corpusFiles()).toEqual(before);
  });
});
