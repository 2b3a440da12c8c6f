import { GatewayCloseCodes } from "discord.js";
import { describe, expect, it } from "vitest";
import { fatalGatewayClose } from "../../src/discord/gateway-close.js";

describe("fatalGatewayClose", () => {
  it("names a fix for each close discord.js will not reconnect after, in one line with its code", () => {
    for (const code of [4004, 4010, 4011, 4012, 4013, 4014]) {
      const fix = fatalGatewayClose(code);
      expect(fix).toContain(`(close ${code})`);
      expect(fix).not.toContain("\n");
    }
  });

  it("leaves closes discord.js recovers from (resume or reconnect) to discord.js", () => {
    for (const code of [
      1000,
      1006,
      GatewayCloseCodes.UnknownError,
      GatewayCloseCodes.InvalidSeq,
      GatewayCloseCodes.SessionTimedOut,
      GatewayCloseCodes.RateLimited,
    ])
      expect(fatalGatewayClose(code)).toBeNull();
  });
});
