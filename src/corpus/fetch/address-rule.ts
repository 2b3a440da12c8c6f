import { isIP } from "node:net";

/** Why an address is not one the bot may fetch from; null when it is public. */
export type AddressKind =
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "unique-local"
  | "metadata"
  | "multicast"
  | "reserved";

interface Range {
  readonly bytes: readonly number[];
  readonly bits: number;
  readonly kind: AddressKind;
}

function v4(cidr: string, kind: AddressKind): Range {
  const [address = "", bits = "32"] = cidr.split("/");
  return { bytes: address.split(".").map(Number), bits: Number(bits), kind };
}

function v6(cidr: string, kind: AddressKind): Range {
  const [address = "", bits = "128"] = cidr.split("/");
  return { bytes: ipv6Bytes(address) ?? [], bits: Number(bits), kind };
}

// The most specific range comes first: 169.254.169.254 is "metadata" before it is "link-local".
const IPV4_RANGES: readonly Range[] = [
  v4("169.254.169.254/32", "metadata"), // AWS, GCP, Azure, OpenStack…
  v4("169.254.170.2/32", "metadata"), // AWS ECS task credentials
  v4("100.100.100.200/32", "metadata"), // Alibaba Cloud
  v4("192.0.0.192/32", "metadata"), // Oracle Cloud
  v4("0.0.0.0/8", "unspecified"),
  v4("127.0.0.0/8", "loopback"),
  v4("10.0.0.0/8", "private"),
  v4("172.16.0.0/12", "private"),
  v4("192.168.0.0/16", "private"),
  v4("100.64.0.0/10", "private"), // carrier-grade NAT: someone's private network
  v4("169.254.0.0/16", "link-local"),
  v4("224.0.0.0/4", "multicast"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "reserved"),
  v4("198.18.0.0/15", "reserved"),
  v4("198.51.100.0/24", "reserved"),
  v4("203.0.113.0/24", "reserved"),
  v4("240.0.0.0/4", "reserved"), // and 255.255.255.255
];

const IPV6_RANGES: readonly Range[] = [
  v6("fd00:ec2::254/128", "metadata"), // AWS over IPv6
  v6("::/128", "unspecified"),
  v6("::1/128", "loopback"),
  v6("fe80::/10", "link-local"),
  v6("fec0::/10", "private"), // deprecated site-local
  v6("fc00::/7", "unique-local"),
  v6("ff00::/8", "multicast"),
  v6("100::/64", "reserved"),
  v6("2001:db8::/32", "reserved"),
];

/**
 * What kind of non-public address `address` (an IPv4 or IPv6 literal) is, or null for a public
 * one. IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by that address, so `::ffff:127.0.0.1`
 * is loopback. Anything that is not an address literal is "reserved": refuse what is not understood.
 */
export function addressKind(address: string): AddressKind | null {
  const literal = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(literal);
  if (family === 4) return match(literal.split(".").map(Number), IPV4_RANGES);
  if (family !== 6) return "reserved";
  const bytes = ipv6Bytes(literal);
  if (bytes === null) return "reserved";
  const embedded = embeddedIpv4(bytes);
  if (embedded !== null) return match(embedded, IPV4_RANGES);
  return match(bytes, IPV6_RANGES);
}

function match(bytes: readonly number[], ranges: readonly Range[]): AddressKind | null {
  for (const range of ranges) if (inRange(bytes, range)) return range.kind;
  return null;
}

function inRange(bytes: readonly number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

function embeddedIpv4(b: readonly number[]): number[] | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 themselves are IPv6's own)
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  if (zeros(0, 12) && !zeros(12, 15)) return b.slice(12);
  // 64:ff9b::a.b.c.d (NAT64)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12);
  // 2002:AABB:CCDD::/48 (6to4)
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  return null;
}

/** The 16 bytes of an IPv6 literal (with an optional dotted IPv4 tail), or null. */
export function ipv6Bytes(address: string): number[] | null {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted.slice(1).map(Number));
    if (tail.some((n) => n > 255)) return null;
    text = `${text.slice(0, dotted.index)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  const bytes: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    const n = Number.parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : null;
}

/** Host names that are cloud metadata services whatever they resolve to. */
const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data"]);

/** Whether a host name (not an address) names a cloud metadata service. */
export function isMetadataHost(hostname: string): boolean {
  return METADATA_HOSTS.has(hostname.toLowerCase().replace(/\.$/, ""));
}
