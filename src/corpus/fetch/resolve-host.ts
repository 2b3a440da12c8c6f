import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { UserError } from "../../errors.js";
import { type AddressKind, addressKind, isMetadataHost } from "./address-rule.js";

/** Resolves a host name to all its addresses (dns.lookup with `all`); replaceable in tests. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const KIND_TEXT: Readonly<Record<AddressKind, string>> = {
  unspecified: "an unspecified address",
  loopback: "a loopback address (this machine)",
  private: "a private network address",
  "link-local": "a link-local address",
  "unique-local": "a unique-local (private) IPv6 address",
  metadata: "a cloud metadata service",
  multicast: "a multicast address",
  reserved: "a reserved address",
};

/**
 * The addresses to connect to for `hostname`, resolved once and every one checked: when any is
 * private, loopback, link-local, unique-local, unspecified, multicast or reserved, the link is
 * refused (FETCH_ADDRESS) unless `allowPrivate`. Cloud metadata services are refused even then:
 * no article lives there, and their credentials are what a forged request is usually after. The caller connects to exactly
 * these addresses, so a second, different answer from DNS (rebinding) is never used.
 * `publicAddresses` are let through as if public: tests stand a loopback server in for a public one.
 */
export async function resolveCheckedHost(
  hostname: string,
  allowPrivate: boolean,
  resolve: ResolveHost = systemResolve,
  publicAddresses: ReadonlySet<string> = new Set(),
): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isMetadataHost(host)) throw refused(host, "metadata");
  let addresses: LookupAddress[];
  const family = isIP(host);
  if (family !== 0) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new UserError("FETCH_FAILED", `The host "${host}" could not be found.`, { cause: error });
    }
  }
  if (addresses.length === 0) throw new UserError("FETCH_FAILED", `The host "${host}" has no address.`);
  for (const a of addresses) {
    const kind = publicAddresses.has(a.address) ? null : addressKind(a.address);
    if (kind === "metadata" || (kind !== null && !allowPrivate)) throw refused(host, kind);
  }
  return addresses;
}

function refused(host: string, kind: AddressKind): UserError {
  return new UserError(
    "FETCH_ADDRESS",
    `Passage does not fetch from "${host}": it is ${KIND_TEXT[kind]}, and links may only point at public web servers.`,
  );
}
