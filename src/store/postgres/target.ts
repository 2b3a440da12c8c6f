/**
 * Where a PostgreSQL URL points, for logs and messages: `host:port/database`, never the user
 * name or password. A URL that does not parse is described as such rather than echoed.
 */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "(default database)";
    return `${parsed.hostname}:${parsed.port || "5432"}/${database}`;
  } catch {
    return "(DATABASE_URL that is not a URL)";
  }
}
