/**
 * Proves the loopback fake Discord is faithful enough for the real discord.js `Client` in what
 * Passage uses: it logs in, receives interactions as the right classes, and every response it
 * sends is recorded and answered the way Discord answers.
 */
import {
  type APIInteraction,
  type APIMessage,
  ApplicationCommandOptionType,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  GatewayOpcodes,
  type Interaction,
  InteractionResponseType,
  LabelBuilder,
  MessageContextMenuCommandInteraction,
  MessageFlags,
  MessageType,
  ModalBuilder,
  ModalSubmitInteraction,
  PermissionFlagsBits,
  // discord.js re-exports @discordjs/rest's REST; importing it from here
  // avoids depending on a package this project does not declare.
  REST,
  type RESTPutAPIApplicationGuildCommandsJSONBody,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  autocomplete,
  button,
  chatInput,
  DEFAULT_IDS,
  DISCORD_ERRORS,
  type FakeDiscord,
  messageCommand,
  modalSubmit,
  type RecordedCall,
  startFakeDiscord,
} from "../../scripts/lib/loopback-discord/index.js";

const MODERATOR_ROLE = "1310000000000000400";

/** Starts a real Client against the fake and resolves once it is ready. */
async function connect(fake: FakeDiscord): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return client;
}

/** Pushes an interaction and resolves with what the Client emitted for it. */
async function deliver(
  fake: FakeDiscord,
  client: Client,
  payload: APIInteraction,
): Promise<{ id: string; token: string; interaction: Interaction }> {
  const arriving = new Promise<Interaction>((resolve) => client.once(Events.InteractionCreate, resolve));
  const pushed = fake.pushInteraction(payload);
  return { ...pushed, interaction: await arriving };
}

async function deliverChatInput(
  fake: FakeDiscord,
  client: Client,
  payload: APIInteraction,
): Promise<{ id: string; token: string; interaction: ChatInputCommandInteraction }> {
  const { interaction, ...pushed } = await deliver(fake, client, payload);
  if (!(interaction instanceof ChatInputCommandInteraction)) {
    throw new Error(`expected a ChatInputCommandInteraction, got ${interaction.constructor.name}`);
  }
  return { ...pushed, interaction };
}

const callbackFor =
  (id: string, token: string) =>
  (call: RecordedCall): boolean =>
    call.method === "POST" && call.path === `/interactions/${id}/${token}/callback`;

describe("fake Discord with a real discord.js Client", () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeEach(async () => {
    fake = await startFakeDiscord();
    client = await connect(fake);
  });

  afterEach(async () => {
    // Client first: a live client would try to reconnect to a closed fake.
    try {
      await client.destroy();
    } finally {
      await fake.close();
    }
  });

  it("logs in and reaches clientReady with the guild cached", () => {
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(fake.applicationId);

    const guild = client.guilds.cache.get(DEFAULT_IDS.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.roles.everyone.id).toBe(DEFAULT_IDS.guildId);
    expect(guild?.channels.cache.get(DEFAULT_IDS.channelId)?.isTextBased()).toBe(true);
    expect(guild?.members.me?.id).toBe(fake.botUserId);

    const gatewayBot = fake.calls.find((call) => call.path === "/gateway/bot");
    expect(gatewayBot).toMatchObject({ method: "GET", status: 200 });
    expect(gatewayBot?.headers.authorization).toBe(`Bot ${fake.token}`);
    const identify = fake.gatewayReceived.find((payload) => payload.op === GatewayOpcodes.Identify);
    expect(identify?.d).toMatchObject({ token: fake.token, intents: GatewayIntentBits.Guilds });
  });

  it("delivers a slash command with its options, member permissions and roles", async () => {
    const { interaction } = await deliverChatInput(
      fake,
      client,
      chatInput({
        name: "ask",
        options: { question: "What is a passage?", limit: 3, public: true },
        memberPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ManageGuild,
        roles: [MODERATOR_ROLE],
      }),
    );

    expect(interaction.commandName).toBe("ask");
    expect(interaction.options.getString("question", true)).toBe("What is a passage?");
    expect(interaction.options.getInteger("limit")).toBe(3);
    expect(interaction.options.getBoolean("public")).toBe(true);
    expect(interaction.user.id).toBe(DEFAULT_IDS.userId);
    expect(interaction.guildId).toBe(DEFAULT_IDS.guildId);
    expect(interaction.channel?.id).toBe(DEFAULT_IDS.channelId);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(false);
    expect(interaction.inCachedGuild()).toBe(true);
    if (!interaction.inCachedGuild()) return;
    // The fake created the unknown role with GUILD_ROLE_CREATE first, so the
    // cached GuildMember resolves it like a real guild would.
    expect(interaction.member.roles.cache.has(MODERATOR_ROLE)).toBe(true);
  });

  it("delivers a subcommand with its options", async () => {
    const { interaction } = await deliverChatInput(
      fake,
      client,
      chatInput({ name: "brief-schedule", subcommand: "remove", options: { id: 2, weight: 0.5 } }),
    );
    expect(interaction.options.getSubcommand()).toBe("remove");
    expect(interaction.options.getInteger("id")).toBe(2);
    expect(interaction.options.getNumber("weight")).toBe(0.5);
    expect(interaction.options.get("id")?.type).toBe(ApplicationCommandOptionType.Integer);
  });

  it("records reply() as a type 4 callback with its body", async () => {
    const { id, token, interaction } = await deliverChatInput(fake, client, chatInput({ name: "ask" }));
    await interaction.reply({ content: "Hello <@123>", allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });

    const call = await fake.waitForCall(callbackFor(id, token));
    expect(call.status).toBe(204);
    expect(call.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: "Hello <@123>", allowed_mentions: { parse: [] }, flags: MessageFlags.Ephemeral },
    });
    expect(interaction.replied).toBe(true);
    expect(interaction.ephemeral).toBe(true);
    // Interaction callbacks are authenticated by the token in the URL, not the bot token.
    expect(call.headers.authorization).toBeUndefined();
  });

  it("records deferReply() then editReply() as a PATCH on @original, and a followUp()", async () => {
    const { id, token, interaction } = await deliverChatInput(fake, client, chatInput({ name: "ask" }));
    await interaction.deferReply();
    const edited = await interaction.editReply({ content: "The answer, with citations." });

    expect((await fake.waitForCall(callbackFor(id, token))).body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: 0 },
    });
    const patch = await fake.waitForCall((call) => call.method === "PATCH");
    // discord.js sends `%40original`; the fake records the decoded segment.
    expect(patch.path).toBe(`/webhooks/${fake.applicationId}/${token}/messages/@original`);
    expect(patch.body).toMatchObject({ content: "The answer, with citations." });
    expect(edited.content).toBe("The answer, with citations.");
    expect(edited.flags.has(MessageFlags.Loading)).toBe(false);

    const followUp = await interaction.followUp({ content: "More sources", flags: MessageFlags.Ephemeral });
    expect(followUp.content).toBe("More sources");
    expect(followUp.id).not.toBe(edited.id);
    expect(fake.calls.at(-1)).toMatchObject({ method: "POST", path: `/webhooks/${fake.applicationId}/${token}` });
  });

  it("refuses an edit before any response, as Discord does", async () => {
    const { interaction } = await deliverChatInput(fake, client, chatInput({ name: "ask" }));
    const edit = client.rest.patch(Routes.webhookMessage(fake.applicationId, interaction.token, "@original"), {
      body: { content: "too early" },
      auth: false,
    });
    await expect(edit).rejects.toMatchObject({ status: 404, code: DISCORD_ERRORS.unknownMessage.code });
  });

  it("delivers a button press as a ButtonInteraction and records the reply to it", async () => {
    const { id, token, interaction } = await deliver(fake, client, button({ customId: "passage:42" }));
    expect(interaction).toBeInstanceOf(ButtonInteraction);
    if (!interaction.isButton()) return;
    expect(interaction.customId).toBe("passage:42");
    expect(interaction.message.author.id).toBe(fake.botUserId);
    expect(interaction.component).toMatchObject({ customId: "passage:42" });

    await interaction.reply({ content: "The passage", flags: MessageFlags.Ephemeral });
    expect((await fake.waitForCall(callbackFor(id, token))).body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: "The passage", flags: MessageFlags.Ephemeral },
    });
  });

  it("records a bulk overwrite of commands and echoes them with ids, only for its own guild", async () => {
    const rest = new REST({ api: fake.apiBase }).setToken(fake.token);
    const route = Routes.applicationGuildCommands(fake.applicationId, DEFAULT_IDS.guildId);
    const commands: RESTPutAPIApplicationGuildCommandsJSONBody = [
      {
        name: "ask",
        description: "Ask the corpus a question",
        options: [
          { name: "question", description: "Your question", type: ApplicationCommandOptionType.String, required: true },
        ],
      },
    ];

    const first = (await rest.put(route, { body: commands })) as { id: string; name: string }[];
    const call = await fake.waitForCall((candidate) => candidate.method === "PUT");
    expect(call.path).toBe(`/applications/${fake.applicationId}/guilds/${DEFAULT_IDS.guildId}/commands`);
    expect(call.body).toEqual(commands);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ name: "ask", application_id: fake.applicationId, guild_id: DEFAULT_IDS.guildId });
    expect(first[0]?.id).toMatch(/^\d{17,20}$/);

    const elsewhere = Routes.applicationGuildCommands(fake.applicationId, "1310000000000009999");
    await expect(rest.put(elsewhere, { body: commands })).rejects.toMatchObject({ status: 403 });
  });

  it("parses a reply with a file attachment, including the file content", async () => {
    const { id, token, interaction } = await deliverChatInput(fake, client, chatInput({ name: "brief" }));
    await interaction.reply({
      content: "Brief attached",
      files: [{ attachment: Buffer.from("# hi"), name: "brief.md" }],
    });

    const call = await fake.waitForCall(callbackFor(id, token));
    expect(call.headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(call.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: "Brief attached", attachments: [{ id: "0" }] },
    });
    expect(call.files).toHaveLength(1);
    expect(call.files[0]).toMatchObject({ field: "files[0]", name: "brief.md", text: "# hi" });
  });

  it("makes a reply reject with a DiscordAPIError after failNext()", async () => {
    const { interaction } = await deliverChatInput(fake, client, chatInput({ name: "ask" }));
    fake.failNext(/^POST \/interactions\//, 404, DISCORD_ERRORS.unknownInteraction);

    const error: unknown = await interaction.reply({ content: "Too late" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 404, code: 10062, message: "Unknown interaction" });
    // The failed request was still recorded, with the status it got.
    expect(fake.calls.at(-1)).toMatchObject({ method: "POST", status: 404 });
  });

  it("answers like Discord for repeated and retried interaction callbacks", async () => {
    const first = await deliverChatInput(fake, client, chatInput({ name: "ask" }));
    // A single 5xx is retried by @discordjs/rest, so the reply still succeeds.
    fake.failNext(/\/callback$/, 500);
    await first.interaction.reply({ content: "after a retry" });
    expect(fake.calls.filter(callbackFor(first.id, first.token)).map((call) => call.status)).toEqual([500, 204]);

    // A second acknowledgement of the same interaction is refused (40060).
    await expect(
      client.rest.post(Routes.interactionCallback(first.id, first.token), {
        body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: "again" } },
        auth: false,
      }),
    ).rejects.toMatchObject({ status: 400, code: 40060 });

    // An interaction Discord never issued cannot be acknowledged at all (10062).
    await expect(
      client.rest.post(Routes.interactionCallback("1310000000000009999", first.token), {
        body: { type: InteractionResponseType.DeferredChannelMessageWithSource },
        auth: false,
      }),
    ).rejects.toMatchObject({ status: 404, code: 10062 });
  });

  it("keeps channel posts (scheduled briefings) with their files, and refuses unknown channels", async () => {
    const sent = (await client.rest.post(Routes.channelMessages(DEFAULT_IDS.channelId), {
      body: { content: "Weekly digest", allowed_mentions: { parse: [] } },
      files: [{ name: "digest.md", data: Buffer.from("# Digest") }],
    })) as APIMessage;

    expect(sent).toMatchObject({ content: "Weekly digest", author: { id: fake.botUserId } });
    expect(fake.channelMessages(DEFAULT_IDS.channelId)).toEqual([sent]);
    expect(sent.attachments[0]?.filename).toBe("digest.md");
    const post = fake.calls.at(-1);
    expect(post?.body).toMatchObject({ content: "Weekly digest", allowed_mentions: { parse: [] } });
    expect(post?.files[0]?.text).toBe("# Digest");

    await expect(
      client.rest.post(Routes.channelMessages("1310000000000009999"), { body: { content: "lost" } }),
    ).rejects.toMatchObject({ status: 404, code: DISCORD_ERRORS.unknownChannel.code });
  });

  it("records showModal() as a type 9 callback and delivers its submission as a ModalSubmitInteraction", async () => {
    const pressed = await deliver(fake, client, button({ customId: "follow-up:abc" }));
    if (!pressed.interaction.isButton()) throw new Error("expected a button");
    await pressed.interaction.showModal(
      new ModalBuilder()
        .setCustomId("follow-up-modal:abc")
        .setTitle("Follow up")
        .addLabelComponents(
          new LabelBuilder()
            .setLabel("Your question")
            .setTextInputComponent(new TextInputBuilder().setCustomId("question").setStyle(TextInputStyle.Short)),
        ),
    );
    const call = await fake.waitForCall(callbackFor(pressed.id, pressed.token));
    expect(call.body).toMatchObject({
      type: InteractionResponseType.Modal,
      data: { custom_id: "follow-up-modal:abc" },
    });
    const modal = fake.modalOf(pressed.id);
    expect(modal?.title).toBe("Follow up");

    const submitted = await deliver(
      fake,
      client,
      modalSubmit({ modal: modal ?? {}, values: { question: "And Taiwan?" } }),
    );
    expect(submitted.interaction).toBeInstanceOf(ModalSubmitInteraction);
    if (!submitted.interaction.isModalSubmit()) return;
    expect(submitted.interaction.customId).toBe("follow-up-modal:abc");
    expect(submitted.interaction.fields.getTextInputValue("question")).toBe("And Taiwan?");
    // Discord does not let a modal answer a modal (discord.js offers no showModal() there; sent raw).
    await expect(
      client.rest.post(Routes.interactionCallback(submitted.id, submitted.token), {
        body: { type: InteractionResponseType.Modal, data: modal },
        auth: false,
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("delivers a message command with the message it targets, and records update() on a component's message", async () => {
    const target = fake.postMemberMessage({ content: "What about Taiwan?" });
    const { interaction } = await deliver(fake, client, messageCommand({ name: "Ask Passage", target }));
    expect(interaction).toBeInstanceOf(MessageContextMenuCommandInteraction);
    if (!interaction.isMessageContextMenuCommand()) return;
    expect(interaction.commandName).toBe("Ask Passage");
    expect(interaction.targetMessage.content).toBe("What about Taiwan?");
    expect(interaction.targetMessage.author.id).toBe(DEFAULT_IDS.userId);
    await interaction.reply({ content: "Answer", flags: MessageFlags.Ephemeral });

    const original = fake.originalOf(interaction.id) ?? undefined;
    const pressed = await deliver(fake, client, button({ customId: "publish:x:1", message: original }));
    if (!pressed.interaction.isButton()) throw new Error("expected a button");
    expect(pressed.interaction.message.content).toBe("Answer");
    await pressed.interaction.update({ content: "Posted", components: [] });
    expect(fake.messageOf(pressed.id)?.content).toBe("Posted");
  });

  it("posts a reply by message_reference to a member's message, and refuses an unknown one unless told not to mind", async () => {
    const target = fake.postMemberMessage({ content: "Why?" });
    const reply = (await client.rest.post(Routes.channelMessages(DEFAULT_IDS.channelId), {
      body: { content: "Because.", message_reference: { message_id: target.id }, allowed_mentions: { parse: [] } },
    })) as APIMessage;
    expect(reply.type).toBe(MessageType.Reply);
    expect(reply.message_reference?.message_id).toBe(target.id);
    expect(reply.referenced_message?.content).toBe("Why?");
    expect(fake.channelMessages(DEFAULT_IDS.channelId).map((m) => m.id)).toEqual([target.id, reply.id]);

    await expect(
      client.rest.post(Routes.channelMessages(DEFAULT_IDS.channelId), {
        body: { content: "To nothing", message_reference: { message_id: "1310000000000009999" } },
      }),
    ).rejects.toMatchObject({ status: 400 });
    const lenient = (await client.rest.post(Routes.channelMessages(DEFAULT_IDS.channelId), {
      body: {
        content: "Anyway",
        message_reference: { message_id: "1310000000000009999", fail_if_not_exists: false },
      },
    })) as APIMessage;
    expect(lenient.type).toBe(MessageType.Default);
  });

  it("delivers an attachment option whose URL serves the uploaded bytes on loopback, as Discord's CDN does", async () => {
    const uploaded = fake.upload({ name: "notes.md", data: "# Notes\n\nHello.", contentType: "text/markdown" });
    const { interaction } = await deliverChatInput(
      fake,
      client,
      chatInput({ name: "corpus", subcommand: "add", options: { file: uploaded } }),
    );
    const attachment = interaction.options.getAttachment("file", true);
    expect(attachment.name).toBe("notes.md");
    expect(attachment.size).toBe(15);
    expect(attachment.contentType).toBe("text/markdown");
    expect(new URL(attachment.url).hostname).toBe("127.0.0.1");
    expect(fake.downloadsOf(uploaded)).toBe(0);
    const response = await fetch(attachment.url);
    expect(response.headers.get("content-type")).toBe("text/markdown");
    expect(await response.text()).toBe("# Notes\n\nHello.");
    expect(fake.downloadsOf(uploaded)).toBe(1);
    expect((await fetch(`${attachment.url}x`)).status).toBe(404);
  });

  it("delivers an autocomplete request with its focused option and records respond() as type 8, checked as Discord checks it", async () => {
    const arriving = new Promise<Interaction>((resolve) => client.once(Events.InteractionCreate, resolve));
    const pushed = fake.pushInteraction(
      autocomplete({ name: "corpus", subcommand: "show", focused: { name: "article", value: "bli" } }),
    );
    const interaction = await arriving;
    if (!(interaction instanceof AutocompleteInteraction)) throw new Error("expected an AutocompleteInteraction");
    expect(interaction.options.getSubcommand()).toBe("show");
    expect(interaction.options.getFocused(true)).toMatchObject({ name: "article", value: "bli" });
    await interaction.respond([{ name: "Blinken’s visit", value: "blinken.md" }]);
    const call = await fake.waitForCall((c) => c.path.startsWith(`/interactions/${pushed.id}/`));
    expect(call.body).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: "Blinken’s visit", value: "blinken.md" }] },
    });
    expect(fake.choicesOf(pushed.id)).toEqual([{ name: "Blinken’s visit", value: "blinken.md" }]);

    const tooMany = fake.pushInteraction(
      autocomplete({ name: "corpus", subcommand: "show", focused: { name: "article", value: "" } }),
    );
    const rest = new REST({ api: fake.apiBase });
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `a${i}`, value: `a${i}` }));
    await expect(
      rest.post(Routes.interactionCallback(tooMany.id, tooMany.token), {
        body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } },
        auth: false,
      }),
    ).rejects.toThrow(DiscordAPIError);
    expect(fake.choicesOf(tooMany.id)).toBeNull();
  });

  it("edits the message a button was on when editReply() follows update()", async () => {
    const command = await deliverChatInput(fake, client, chatInput({ name: "corpus" }));
    await command.interaction.reply({ content: "Remove?", flags: MessageFlags.Ephemeral });
    const message = fake.originalOf(command.id);
    const { interaction } = await deliver(
      fake,
      client,
      button({ customId: "corpus-remove:1", message: message ?? undefined }),
    );
    if (!(interaction instanceof ButtonInteraction)) throw new Error("expected a ButtonInteraction");
    await interaction.update({ content: "Removing…", components: [] });
    await interaction.editReply({ content: "Removed." });
    const press = fake.calls.find((c) => c.path.startsWith(`/interactions/${interaction.id}/`));
    expect((press?.body as { type?: number } | undefined)?.type).toBe(InteractionResponseType.UpdateMessage);
    expect(fake.messageOf(interaction.id)?.content).toBe("Removed.");
  });

  it("answers routes the bot does not use with 404, still recording them", async () => {
    await expect(client.rest.get("/users/@me")).rejects.toMatchObject({ status: 404, code: 0 });
    expect(fake.calls.at(-1)).toMatchObject({ method: "GET", path: "/users/@me", status: 404 });
  });
});

describe("fake Discord lifecycle", () => {
  /** Open TCP handles (sockets and servers) in this process; vitest's own IPC uses pipes. */
  const tcpHandles = (): number =>
    process.getActiveResourcesInfo().filter((resource) => resource.startsWith("TCP")).length;

  /** Resolves with the TCP handle count once it reaches 0, or after 2 s. */
  async function settledTcpHandles(): Promise<number> {
    // The client side of a socket closed by the server is released on a later tick.
    const deadline = Date.now() + 2000;
    while (tcpHandles() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return tcpHandles();
  }

  it("leaves no open TCP handles after client.destroy() and fake.close()", async () => {
    // Also proves the previous tests' afterEach released everything.
    expect(await settledTcpHandles()).toBe(0);

    const fake = await startFakeDiscord();
    const client = await connect(fake);
    const { interaction } = await deliverChatInput(fake, client, chatInput({ name: "ask" }));
    await interaction.reply("bye");
    expect(tcpHandles()).toBeGreaterThan(0);

    await client.destroy();
    await fake.close();
    expect(await settledTcpHandles()).toBe(0);
  });

  it("rejects a wrong token on REST, so login() fails like it does against Discord", async () => {
    const fake = await startFakeDiscord();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    try {
      await expect(client.login("not-the-token")).rejects.toMatchObject({ code: "TokenInvalid" });
      expect(fake.calls[0]).toMatchObject({ path: "/gateway/bot", status: 401 });
    } finally {
      await client.destroy();
      await fake.close();
    }
  });

  it("closes the gateway with 4004 when IDENTIFY carries a wrong token", async () => {
    const fake = await startFakeDiscord();
    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    try {
      const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
      socket.on("message", (data) => {
        const payload = JSON.parse(data.toString()) as { op: number };
        if (payload.op !== GatewayOpcodes.Hello) return;
        socket.send(JSON.stringify({ op: GatewayOpcodes.Identify, d: { token: "wrong", intents: 1, properties: {} } }));
      });
      expect(await closed).toBe(GatewayCloseCodes.AuthenticationFailed);
    } finally {
      socket.terminate();
      await fake.close();
    }
  });

  it("acknowledges heartbeats, so a session outlives Discord's 41-second interval", async () => {
    const fake = await startFakeDiscord();
    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    try {
      const acked = new Promise<number>((resolve) =>
        socket.on("message", (data) => {
          const payload = JSON.parse(data.toString()) as { op: number };
          if (payload.op === GatewayOpcodes.Hello)
            socket.send(JSON.stringify({ op: GatewayOpcodes.Heartbeat, d: null }));
          else resolve(payload.op);
        }),
      );
      expect(await acked).toBe(GatewayOpcodes.HeartbeatAck);
    } finally {
      socket.terminate();
      await fake.close();
    }
  });

  it("refuses to push an interaction before any client is ready", async () => {
    const fake = await startFakeDiscord();
    try {
      expect(() => fake.pushInteraction(chatInput({ name: "ask" }))).toThrow(/clientReady/);
    } finally {
      await fake.close();
    }
  });
});
