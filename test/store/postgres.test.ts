import { afterAll, beforeAll } from "vitest";
import { silentLogger } from "../../src/log.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import type { StateStore } from "../../src/store/types.js";
import { type EmbeddedServer, startPostgres } from "../helpers/postgres.js";
import { describeStoreContract } from "./contract.js";

// The same contract the SQLite store passes, on a real PostgreSQL: one server for the file, a
// fresh database for each store the suite opens, and a second handle on a store's database
// when the suite asks for another process's view.

let server: EmbeddedServer;
const urls = new WeakMap<StateStore, string>();

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describeStoreContract("PostgreSQL", async (sameAs?: StateStore) => {
  const url = sameAs ? urls.get(sameAs) : await server.createDatabase();
  if (url === undefined) throw new Error("the contract asked for a second handle on a store this file did not open");
  const store = await openPostgresStore(url, { logger: silentLogger });
  urls.set(store, url);
  return store;
});
