import { startPostgres } from "./test/helpers/postgres.ts";
import { openPostgresStore } from "./src/store/postgres/open-postgres-store.ts";
import { createLogger } from "./src/log.ts";
const s = await startPostgres();
const url = await s.createDatabase();
const t0 = Date.now(); const T = (m: string) => console.log(Date.now() - t0, m);
const store = await openPostgresStore(url, { logger: createLogger({ level: "debug" }), timeouts: { connectTimeoutMs: 2000, queryTimeoutMs: 2000 } });
T("open");
await store.salt(); T("salt");
await s.halt(); T("halted");
try { await store.answers.get("x"); } catch (e) { T("err " + (e as Error).message); }
try { await store.answers.get("x"); } catch (e) { T("err2 " + (e as Error).message); }
await s.resume(); T("resumed");
console.log(await store.answers.get("x")); T("get");
await store.close(); await s.stop(); T("stopped");
