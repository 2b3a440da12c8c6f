/**
 * What `npm run register` sends Discord: the commands' builders turned into the bulk-overwrite
 * body, recorded by the loopback Discord. The expected definitions are written out in full, so
 * a change to a name, an option, a limit or a permission shows here as a diff.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_IDS,
  discordConfigFor,
  type FakeDiscord,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";
import { COMMANDS, MESSAGE_COMMANDS } from "../../src/discord/commands/index.js";
import { registerCommands } from "../../src/discord/register.js";

const POINTS = {
  type: 4,
  name: "points",
  description: "How many points (3–10, default 6)",
  min_value: 3,
  max_value: 10,
};

/** Every command as Discord should receive it (with the fields Discord defaults left out). */
const EXPECTED = [
  {
    name: "ask",
    description: "Ask a question; the answer quotes and cites the articles",
    options: [
      { type: 3, name: "question", description: "Your question", required: true, max_length: 500 },
      { type: 5, name: "private", description: "Only you see the answer (default: false)" },
    ],
  },
  {
    name: "brief",
    description: "Key points on a topic, or on the whole corpus, each quoted and cited",
    options: [
      {
        type: 3,
        name: "topic",
        description: "What to brief on, e.g. Taiwan (leave out for the whole corpus)",
        max_length: 200,
      },
      POINTS,
      { type: 5, name: "private", description: "Only you see the briefing (default: false)" },
    ],
  },
  {
    name: "brief-schedule",
    description: "Post a briefing to this channel on a schedule (moderators)",
    default_member_permissions: "32",
    contexts: [0],
    options: [
      {
        type: 1,
        name: "add",
        description: "Post a briefing on a topic to this channel every day or week",
        options: [
          { type: 3, name: "topic", description: "What to brief on, e.g. Taiwan", required: true, max_length: 200 },
          {
            type: 3,
            name: "every",
            description: "How often",
            required: true,
            choices: [
              { name: "daily", value: "daily" },
              { name: "weekly", value: "weekly" },
            ],
          },
          { type: 3, name: "at", description: "Time of day, HH:MM in UTC (default 09:00)", max_length: 9 },
          POINTS,
        ],
      },
      { type: 1, name: "list", description: "The scheduled briefings in this server" },
      {
        type: 1,
        name: "remove",
        description: "Stop a scheduled briefing",
        options: [
          {
            type: 4,
            name: "id",
            description: "Its number, as /brief-schedule list shows it",
            required: true,
            min_value: 1,
          },
        ],
      },
    ],
  },
  {
    name: "reindex",
    description: "Rebuild the index from the corpus folder (moderators)",
    default_member_permissions: "32",
    contexts: [0],
  },
  {
    name: "corpus",
    description: "Add, list, show, remove articles of the corpus, or undo the last change (moderators)",
    default_member_permissions: "32",
    contexts: [0],
    options: [
      {
        type: 1,
        name: "add",
        description: "Add an article from a file (.md, .txt, .html or .pdf) or a link, then reindex",
        options: [
          { type: 11, name: "file", description: "The article: .md, .txt, .html or .pdf" },
          { type: 3, name: "url", description: "A link to the article (http or https)", max_length: 2000 },
        ],
      },
      {
        type: 1,
        name: "list",
        description: "The articles, who added them and when, and the latest changes",
        options: [{ type: 4, name: "page", description: "Which page (default 1)", min_value: 1 }],
      },
      {
        type: 1,
        name: "show",
        description: "An article's front matter and first paragraph",
        options: [{ type: 3, name: "article", description: "Its title", required: true, autocomplete: true }],
      },
      {
        type: 1,
        name: "remove",
        description: "Remove an article (asks first), then reindex",
        options: [{ type: 3, name: "article", description: "Its title", required: true, autocomplete: true }],
      },
      { type: 1, name: "undo", description: "Revert the last change to the corpus, then reindex" },
    ],
  },
  { name: "status", description: "What the bot's index holds, and how long it has been up" },
  {
    name: "gaps",
    description: "Questions Passage could not answer and answers voted down, most frequent first (moderators)",
    default_member_permissions: "32",
    contexts: [0],
    options: [
      { type: 4, name: "days", description: "How many days back (default 7)", min_value: 1, max_value: 3650 },
      {
        type: 4,
        name: "limit",
        description: "How many questions to list (default 10; the CSV has all)",
        min_value: 1,
        max_value: 50,
      },
    ],
  },
  { name: "forget-me", description: "Delete the questions you asked and the votes you gave from Passage's answer log" },
  // The message command (right-click a message → Apps): type 3, no description.
  { name: "Ask Passage", type: 3 },
];

/** Everything `npm run register` registers: the slash commands, then the message commands. */
const ALL = () => [...COMMANDS.values(), ...MESSAGE_COMMANDS.values()];

/**
 * Drops what Discord treats as absent: `required: false`, empty `options`, and a command's
 * `type: 1` (CHAT_INPUT, the default). The builders write them out; the raw JSON did not.
 */
function withoutDefaults(value: unknown, topLevel = true): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutDefaults(v, topLevel));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "required" && v === false) continue;
    if (key === "options" && Array.isArray(v) && v.length === 0) continue;
    if (topLevel && key === "type" && v === 1) continue;
    out[key] = withoutDefaults(v, false);
  }
  return out;
}

let fake: FakeDiscord;
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(() => fake.close());

describe("registerCommands", () => {
  it("bulk-overwrites a guild's commands with every name, option, limit and permission", async () => {
    const registration = await registerCommands(discordConfigFor(fake, { guildId: DEFAULT_IDS.guildId }), ALL());
    const put = await fake.waitForCall((c) => c.method === "PUT");
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/${DEFAULT_IDS.guildId}/commands`);
    expect(withoutDefaults(put.body)).toEqual(EXPECTED);
    expect(registration).toMatchObject({ scope: "guild", applicationId: fake.applicationId });
    expect(registration.commands.map((c) => c.name)).toEqual(EXPECTED.map((c) => c.name));
  });

  it("registers globally without a guild, asking Discord for the application id only when not configured", async () => {
    await registerCommands(discordConfigFor(fake), ALL());
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /applications/@me",
      `PUT /applications/${fake.applicationId}/commands`,
    ]);
    const configured = await registerCommands(discordConfigFor(fake, { applicationId: fake.applicationId }), ALL());
    expect(configured.scope).toBe("global");
    expect(fake.calls.slice(2).map((c) => c.method)).toEqual(["PUT"]);
  });
});
