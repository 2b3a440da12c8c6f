import { createHash } from "node:crypto";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasCode, PassageError } from "../../src/errors.js";
import { createLogger, type Logger } from "../../src/log.js";
import { openPostgresStore, type PostgresStoreOptions } from "../../src/store/postgres/open-postgres-store.js";
import type { CorpusState, StateStore } from "../../src/store/types.js";
import { caught } from "../helpers/caught.js";
import { type EmbeddedServer, startPostgres } from "../helpers/postgres.js";

// What an operator sees: the PostgreSQL store's start-up (retry, migrations), its behaviour when
// the server goes away and comes back, and the shared corpus with its notifications.

let server: EmbeddedServer;
const opened: StateStore[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await server?.stop();
});

/** A logger that keeps every event it is given. */
function recordingLogger(): { logger: Logger; events: Array<Record<string, unknown>> } {
  const events: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: "debug",
    write: (line) => events.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, events };
}

async function open(url: string, options: Partial<PostgresStoreOptions> = {}): Promise<StateStore> {
  const store = await openPostgresStore(url, { logger: recordingLogger().logger, ...options });
  opened.push(store);
  return store;
}

async function scalar<T>(url: string, sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(sql);
    return Object.values(rows[0] ?? {})[0] as T;
  } finally {
    await client.end();
  }
}

/** A loopback URL on a port nothing listens on (the embedded server's, while it is halted, is not used). */
function nowhere(): string {
  return server.url.replace(/:(\d+)\//, ":1/");
}

describe("starting against PostgreSQL", () => {
  it("four replicas starting together on a fresh database make one schema, one salt and no error", async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([open(url), open(url), open(url), open(url)]);
    expect(await scalar<number>(url, "SELECT count(*)::int FROM schema_migrations")).toBe(1);
    const salts = await Promise.all(stores.map((s) => s.salt()));
    expect(salts[0]?.length).toBeGreaterThanOrEqual(32);
    for (const salt of salts) expect(salt.equals(salts[0] as Buffer)).toBe(true);
  });

  it("opening an up-to-date database again changes nothing", async () => {
    const url = await server.createDatabase();
    const first = await open(url);
    const salt = await first.salt();
    await first.close();
    const again = await open(url);
    expect((await again.salt()).equals(salt)).toBe(true);
    expect(await scalar<number>(url, "SELECT count(*)::int FROM schema_migrations")).toBe(1);
  });

  it("retries an unreachable server with growing, logged delays, then fails in one line without the password", async () => {
    const { logger, events } = recordingLogger();
    const waits: number[] = [];
    const error = await caught(() =>
      openPostgresStore(nowhere(), {
        logger,
        connectAttempts: 3,
        retry: { initialDelayMs: 100, maxDelayMs: 150 },
        sleep: async (ms) => {
          waits.push(ms);
        },
      }),
    );
    expect(hasCode(error, "STORE_UNAVAILABLE")).toBe(true);
    expect(error.message).toMatch(/^Cannot reach PostgreSQL at 127\.0\.0\.1:1\/postgres after 3 attempts: /);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain("passage-test");
    expect(waits).toEqual([100, 150]);
    const retries = events.filter((e) => e.event === "store.connect_retry");
    expect(retries.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 100],
      [2, 150],
    ]);
    expect(JSON.stringify(events)).not.toContain("passage-test");
  });

  it("connects once a server that was down at start comes up during the retries", async () => {
    const url = await server.createDatabase();
    const { logger, events } = recordingLogger();
    await server.halt();
    try {
      const store = await open(url, {
        logger,
        connectAttempts: 5,
        sleep: async () => {
          if (events.filter((e) => e.event === "store.connect_retry").length === 1) await server.resume();
        },
      });
      expect((await store.salt()).length).toBeGreaterThanOrEqual(32);
      expect(events.filter((e) => e.event === "store.connect_retry")).toHaveLength(1);
    } finally {
      // Whatever happened above, the other tests need the server.
      await server.resume().catch(() => undefined);
    }
  });

  it("a wrong password fails at once, without retrying", async () => {
    const { logger, events } = recordingLogger();
    const error = await caught(() =>
      openPostgresStore(server.url.replace("passage-test", "wrong-password"), { logger, connectAttempts: 5 }),
    );
    expect(hasCode(error, "STORE_UNAVAILABLE")).toBe(true);
    expect(error.message).not.toContain("wrong-password");
    expect(events.filter((e) => e.event === "store.connect_retry")).toHaveLength(0);
  });

  it("refuses a database migrated by a newer program", async () => {
    const url = await server.createDatabase();
    const first = await open(url);
    await first.close();
    await scalar(url, "INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')");
    const error = await caught(() => openPostgresStore(url, { logger: recordingLogger().logger }));
    expect(hasCode(error, "STORE_DB")).toBe(true);
    expect(error.message).toContain("version 99");
  });
});

describe("PostgreSQL going away mid-run", () => {
  it("store calls reject with STORE_DB while it is gone and work again once it is back", async () => {
    const url = await server.createDatabase();
    const { logger } = recordingLogger();
    const store = await open(url, { logger, timeouts: { connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 } });
    const at = new Date("2026-01-05T10:00:00.000Z");
    const answer = {
      id: "a1",
      at: at.toISOString(),
      source: "cli",
      guildId: null,
      channelId: null,
      askerHash: "h1",
      question: "q",
      understoodAs: null,
      kind: "answer",
      mode: "quoted",
      passageIds: ["p1"],
      corpusChecksum: "c",
      latencyMs: 5,
    } as const;
    await store.answers.record(answer);
    await server.halt();
    try {
      const error = await caught(() => store.answers.get("a1"));
      expect(error).toBeInstanceOf(PassageError);
      expect(hasCode(error, "STORE_DB")).toBe(true);
      expect(error.message).not.toContain("passage-test");
      const claim = await caught(() =>
        store.schedules.claim(1, at, { owner: "p", at, staleBefore: new Date(at.getTime() - 60_000) }),
      );
      expect(hasCode(claim, "STORE_DB")).toBe(true);
    } finally {
      await server.resume();
    }
    expect(await store.answers.get("a1")).toEqual(answer);
    await store.answers.record({ ...answer, id: "a2" });
    expect((await store.answers.usage(at)).day.answered).toBe(2);
  });
});

/**
 * A loopback TCP proxy in front of the embedded server that can go silent: connections stay
 * open but nothing passes, as when a network link to PostgreSQL dies without closing sockets.
 */
async function silentableProxy(targetPort: number): Promise<{ port: number; silence(): void; close(): Promise<void> }> {
  let silent = false;
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((inbound) => {
    const outbound = tcpConnect(targetPort, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    inbound.on("data", (chunk) => {
      if (!silent) outbound.write(chunk);
    });
    outbound.on("data", (chunk) => {
      if (!silent) inbound.write(chunk);
    });
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const address = proxy.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    silence: () => {
      silent = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe("PostgreSQL unreachable without closing the connection", () => {
  it("a store call on a link gone silent rejects with STORE_DB after the query timeout instead of hanging", async () => {
    const url = await server.createDatabase();
    const proxy = await silentableProxy(server.port);
    try {
      const viaProxy = url.replace(`:${server.port}/`, `:${proxy.port}/`);
      const store = await open(viaProxy, { timeouts: { connectTimeoutMs: 500, queryTimeoutMs: 500 } });
      expect(await store.answers.get("none")).toBeNull();
      proxy.silence();
      const error = await caught(() => store.answers.get("none"));
      expect(hasCode(error, "STORE_DB")).toBe(true);
      const again = await caught(() => store.schedules.list());
      expect(hasCode(again, "STORE_DB")).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("a server that accepts connections but never answers fails the start in one line", async () => {
    const proxy = await silentableProxy(server.port);
    proxy.silence();
    try {
      const url = server.url.replace(`:${server.port}/`, `:${proxy.port}/`);
      const error = await caught(() =>
        openPostgresStore(url, {
          logger: recordingLogger().logger,
          connectAttempts: 2,
          timeouts: { connectTimeoutMs: 300, queryTimeoutMs: 300 },
          sleep: async () => undefined,
        }),
      );
      expect(hasCode(error, "STORE_UNAVAILABLE")).toBe(true);
      expect(error.message).not.toContain("\n");
    } finally {
      await proxy.close();
    }
  });
});

describe("the shared corpus", () => {
  it("put, list and remove articles, each change bumping the version and the checksum", async () => {
    const store = await open(await server.createDatabase());
    const corpus = store.corpus;
    if (!corpus) throw new Error("the PostgreSQL store holds the corpus");
    expect(await corpus.state()).toEqual({ checksum: null, version: 0 });
    await corpus.put({ source: "b.md", markdown: "# B", checksum: "cb" });
    await corpus.put({ source: "a.md", markdown: "# A", checksum: "ca" });
    const two = await corpus.state();
    expect(two.version).toBe(2);
    expect(two.checksum).toMatch(/^[0-9a-f]{64}$/);
    const listed = await corpus.list();
    expect(listed.map((a) => [a.source, a.markdown, a.checksum])).toEqual([
      ["a.md", "# A", "ca"],
      ["b.md", "# B", "cb"],
    ]);
    expect(Number.isNaN(Date.parse(listed[0]?.updatedAt ?? ""))).toBe(false);

    await corpus.put({ source: "b.md", markdown: "# B2", checksum: "cb2" });
    const replaced = await corpus.state();
    expect(replaced.version).toBe(3);
    expect(replaced.checksum).not.toBe(two.checksum);

    expect(await corpus.remove("b.md")).toBe(true);
    expect(await corpus.remove("b.md")).toBe(false);
    expect((await corpus.state()).version).toBe(4);
    expect((await corpus.list()).map((a) => a.source)).toEqual(["a.md"]);

    // The checksum depends on the articles only: the same corpus reached another way has the same one.
    await corpus.remove("a.md");
    await corpus.put({ source: "a.md", markdown: "# A", checksum: "ca" });
    await corpus.put({ source: "b.md", markdown: "# B", checksum: "cb" });
    expect((await corpus.state()).checksum).toBe(two.checksum);
  });

  it("the corpus checksum is the one an index built from the same articles carries in its manifest", async () => {
    const store = await open(await server.createDatabase());
    const articles = [
      { source: "zeta.md", markdown: "---\ntitle: Z\n---\nZ body" },
      { source: "alpha.md", markdown: "# Alpha\n\nÀ body" },
    ];
    for (const a of articles) await store.corpus?.put({ ...a, checksum: sha256(a.markdown) });
    // src/index/build/write-index.ts: sha256 over `source\0sha256(content)` lines, articles in sorted order.
    const manifestFormula = sha256(
      [...articles]
        .sort((a, b) => (a.source < b.source ? -1 : 1))
        .map((a) => `${a.source}\0${sha256(a.markdown)}`)
        .join("\n"),
    );
    expect((await store.corpus?.state())?.checksum).toBe(manifestFormula);
  });

  it("every process listening hears of a change made by another, once it is committed", async () => {
    const url = await server.createDatabase();
    const [writer, reader] = [await open(url), await open(url)];
    const heard: CorpusState[] = [];
    let bothHeard: () => void = () => undefined;
    const changed = new Promise<void>((resolve) => {
      bothHeard = resolve;
    });
    // listen() resolves once LISTEN is in place, so the writes below cannot be missed.
    const stop = await reader.corpus?.listen((state) => {
      heard.push(state);
      if (heard.length === 2) bothHeard();
    });
    await writer.corpus?.put({ source: "a.md", markdown: "# A", checksum: "ca" });
    await writer.corpus?.remove("a.md");
    await changed;
    expect(heard.map((s) => s.version)).toEqual([1, 2]);
    expect(heard[1]).toEqual(await writer.corpus?.state());
    await stop?.();
  });

  it("a listener cut off by a PostgreSQL restart listens again, re-reads the state and hears later changes", async () => {
    const url = await server.createDatabase();
    const { logger, events } = recordingLogger();
    const writer = await open(url);
    const reader = await open(url, { logger, listenRetry: { initialDelayMs: 50, maxDelayMs: 200 } });
    const heard: CorpusState[] = [];
    const waiters: Array<{ count: number; resolve: () => void }> = [];
    const heardAtLeast = (count: number) =>
      new Promise<void>((resolve) => {
        if (heard.length >= count) resolve();
        else waiters.push({ count, resolve });
      });
    await reader.corpus?.listen((state) => {
      heard.push(state);
      for (const w of waiters.filter((w) => heard.length >= w.count)) w.resolve();
    });
    await server.halt();
    await server.resume();
    // Back: the listener reports the state as it is now, as changes made while it was away went unheard.
    await heardAtLeast(1);
    expect(heard[0]).toEqual({ checksum: null, version: 0 });
    expect(events.some((e) => e.event === "store.corpus_listen_lost")).toBe(true);
    expect(events.some((e) => e.event === "store.corpus_listen_resumed")).toBe(true);
    await writer.corpus?.put({ source: "a.md", markdown: "# A", checksum: "ca" });
    await heardAtLeast(2);
    expect(heard[1]?.version).toBe(1);
  });

  it("concurrent changes from several processes each get their own version", async () => {
    const url = await server.createDatabase();
    const stores = [await open(url), await open(url), await open(url)];
    await Promise.all(
      stores.flatMap((s, i) =>
        [0, 1, 2].map((j) => s.corpus?.put({ source: `${i}-${j}.md`, markdown: "x", checksum: `${i}${j}` })),
      ),
    );
    expect((await stores[0]?.corpus?.state())?.version).toBe(9);
    expect(await stores[0]?.corpus?.list()).toHaveLength(9);
  });
});

describe("schedules across processes", () => {
  it("of two processes claiming the same due slot at once, exactly one wins, every time", async () => {
    const url = await server.createDatabase();
    const [one, two] = [await open(url), await open(url)];
    const due = new Date("2026-01-05T09:00:00.000Z");
    for (let round = 0; round < 10; round++) {
      const sub = await one.schedules.add({
        guildId: "g",
        channelId: "c",
        topic: "t",
        points: 5,
        timetable: { cadence: "daily", minuteOfDay: 540, weekday: null },
        createdBy: "u",
        createdAt: new Date(due.getTime() - 86_400_000),
        nextDueAt: due,
      });
      const claim = (owner: string) => ({ owner, at: due, staleBefore: new Date(due.getTime() - 600_000) });
      const results = await Promise.all([
        one.schedules.claim(sub.id, due, claim("one")),
        two.schedules.claim(sub.id, due, claim("two")),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });
});

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
