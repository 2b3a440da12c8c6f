import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure logic and single components on real files, seconds) and `e2e`
// (the real discord.js client against a loopback Discord, and the CLIs as child processes).
// Timeouts are tight enough that a hang fails the test instead of stalling the suite.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**"],
          testTimeout: 10_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
