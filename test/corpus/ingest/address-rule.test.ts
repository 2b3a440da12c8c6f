import { describe, expect, it } from "vitest";
import { addressKind, ipv6Bytes } from "../../../src/corpus/fetch/address-rule.js";
import { resolveCheckedHost } from "../../../src/corpus/fetch/resolve-host.js";
import { caught } from "../../helpers/caught.js";

// Pure checks: nothing here opens a connection, so any address may be named.
describe("addressKind", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["64:ff9b::a00:1", "private"],
    ["2002:c0a8:101::1", "private"],
    ["169.254.1.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["fd12:3456::1", "unique-local"],
    ["fc00::1", "unique-local"],
    ["169.254.169.254", "metadata"],
    ["::ffff:169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["100.100.100.200", "metadata"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["not-an-address", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it.each(["8.8.8.8", "93.184.216.34", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "%s is public",
    (address) => {
      expect(addressKind(address)).toBeNull();
    },
  );

  it("parses IPv6 literals, compressed or with a dotted tail, and rejects malformed ones", () => {
    expect(ipv6Bytes("::1")).toEqual([...Array(15).fill(0), 1]);
    expect(ipv6Bytes("::ffff:1.2.3.4")?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(ipv6Bytes("1:2:3:4:5:6:7:8")?.[15]).toBe(8);
    for (const bad of ["1::2::3", "12345::", "1:2:3", "::1.2.3.999"]) expect(ipv6Bytes(bad)).toBeNull();
  });
});

describe("resolveCheckedHost", () => {
  const never = async () => {
    throw new Error("must not resolve");
  };

  it("refuses a name whose addresses include a private one, even beside a public one", async () => {
    const resolve = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ];
    const error = await caught(() => resolveCheckedHost("intranet.example", false, resolve));
    expect(error).toMatchObject({ code: "FETCH_ADDRESS" });
    expect(error.message).toContain("private network");
  });

  it("refuses metadata host names before asking DNS", async () => {
    const error = await caught(() => resolveCheckedHost("metadata.google.internal", false, never));
    expect(error).toMatchObject({ code: "FETCH_ADDRESS" });
    expect(error.message).toContain("metadata");
  });

  it("refuses cloud metadata services even with the rule lifted", async () => {
    const resolve = async () => [{ address: "169.254.169.254", family: 4 }];
    expect(await caught(() => resolveCheckedHost("sneaky.example", true, resolve))).toMatchObject({
      code: "FETCH_ADDRESS",
    });
    expect(await caught(() => resolveCheckedHost("metadata.google.internal", true, never))).toMatchObject({
      code: "FETCH_ADDRESS",
    });
    expect(await caught(() => resolveCheckedHost("[fd00:ec2::254]", true, never))).toMatchObject({
      code: "FETCH_ADDRESS",
    });
  });

  it("checks address literals without DNS, brackets and all", async () => {
    expect(await caught(() => resolveCheckedHost("[::1]", false, never))).toMatchObject({ code: "FETCH_ADDRESS" });
    expect(await resolveCheckedHost("[::1]", true, never)).toEqual([{ address: "::1", family: 6 }]);
  });

  it("returns every checked address when all are public, or when the rule is lifted", async () => {
    const resolve = async () => [{ address: "10.0.0.7", family: 4 }];
    expect(await resolveCheckedHost("intranet.example", true, resolve)).toEqual([{ address: "10.0.0.7", family: 4 }]);
    expect(await resolveCheckedHost("intranet.example", false, resolve, new Set(["10.0.0.7"]))).toHaveLength(1);
  });

  it("reports a name that does not resolve as FETCH_FAILED", async () => {
    const resolve = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    expect(await caught(() => resolveCheckedHost("nowhere.invalid", false, resolve))).toMatchObject({
      code: "FETCH_FAILED",
    });
  });
});
