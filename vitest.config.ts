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
          // Unit files share a worker's module cache (no per-file re-import of discord.js,
          // LangChain and zod: two thirds of the project's time) and run on both cores. Each
          // file builds what it needs in its own temporary folder, so none leaks into another.
          isolate: false,
          maxWorkers: 2,
          // Unit files run first, then e2e: a broken core fails fast.
          sequence: { groupOrder: 0 },
          testTimeout: 10_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: "e2e",
          // One file at a time: loopback servers and child processes compete for two cores.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
