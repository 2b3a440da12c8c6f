import { type EmbeddedServer, startEmbeddedPostgres } from "../../scripts/lib/postgres/embedded-postgres.js";

export type { EmbeddedServer };

/**
 * Starts a real PostgreSQL server for one test file: call it in `beforeAll` and `stop()` in
 * `afterAll`, never per test (it takes a second or two); give each test its own database with
 * `createDatabase()`.
 */
export function startPostgres(): Promise<EmbeddedServer> {
  return startEmbeddedPostgres();
}
