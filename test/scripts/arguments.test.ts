/**
 * How each script reads its command line, checked in-process: the pure functions the scripts
 * call before doing any work. That a bad argument exits 2 with the reason on stderr, and
 * --help prints to stdout, is checked on real processes in test/e2e/scripts.
 */
import { describe, expect, it } from "vitest";
import { askArguments } from "../../scripts/lib/ask-arguments.js";
import { benchArguments, DEFAULT_SIZES } from "../../scripts/lib/bench/arguments.js";
import { childArguments } from "../../scripts/lib/bench/children.js";
import { briefArguments } from "../../scripts/lib/brief-arguments.js";
import { parseCommandLine, UsageError } from "../../scripts/lib/command-line.js";
import { DEFAULT_HNSW_PARAMS } from "../../src/index/hnsw-params.js";

/** The one-line reason `read` refuses its input with. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a UsageError");
}

describe("parseCommandLine", () => {
  const flags = { json: { type: "boolean" }, points: { type: "string" } } as const;

  it("reads flags, positionals and --help or -h", () => {
    expect(parseCommandLine(["Taiwan", "--points", "4", "--json", "chips"], flags)).toEqual({
      help: false,
      values: { points: "4", json: true },
      positionals: ["Taiwan", "chips"],
    });
    expect(parseCommandLine(["--help"], flags).help).toBe(true);
    expect(parseCommandLine(["-h", "--json"], flags, false).help).toBe(true);
  });

  it("refuses an unknown flag, a missing value or an unwanted word in one line pointing to --help", () => {
    expect(refusal(() => parseCommandLine(["--bogus"], flags))).toMatch(/^Unknown option '--bogus'.*\(see --help\)$/);
    expect(refusal(() => parseCommandLine(["--points"], flags))).toMatch(/--points.*\(see --help\)$/);
    // A negative number reads as a flag to parseArgs; its three-line complaint becomes one line.
    const negative = refusal(() => parseCommandLine(["--points", "-1"], flags));
    expect(negative).toBe("--points needs a value; for one that starts with a dash, write --points=-… (see --help)");
    expect(refusal(() => briefArguments({ points: "-1" }, []))).toMatch(
      /^--points must be a whole number from 3 to 10/,
    );
    expect(refusal(() => parseCommandLine(["extra"], flags, false))).toMatch(/^Unexpected argument 'extra'/);
  });
});

describe("npm run ask's arguments", () => {
  it("joins the words into the question, and streams standard input with --json and no question", () => {
    expect(askArguments({}, ["Where", "was", "it?"])).toEqual({
      question: "Where was it?",
      json: false,
      stream: false,
    });
    expect(askArguments({ json: true }, ["Where?"])).toEqual({ question: "Where?", json: true, stream: false });
    expect(askArguments({ json: true }, [" "])).toEqual({ question: " ", json: true, stream: true });
  });

  it("asks for a question when there is none", () => {
    expect(refusal(() => askArguments({}, ["   "]))).toMatch(/^Give a question/);
    expect(refusal(() => askArguments({ json: false }, []))).toMatch(/^Give a question/);
  });
});

describe("npm run brief's arguments", () => {
  it("reads the topic, the points, the file and the format", () => {
    expect(briefArguments({ points: "4", out: "t.md", json: true }, ["the", "fentanyl", "angle"])).toEqual({
      topic: "the fentanyl angle",
      points: 4,
      out: "t.md",
      json: true,
    });
    expect(briefArguments({}, [])).toEqual({ topic: "", points: null, out: null, json: false });
  });

  it.each([
    [{ points: "2" }, /^--points must be a whole number from 3 to 10 \(got "2"\)$/],
    [{ points: "11" }, /^--points must be a whole number from 3 to 10 \(got "11"\)$/],
    [{ points: "many" }, /^--points must be a whole number from 3 to 10 \(got "many"\)$/],
    [{ points: "4.5" }, /^--points must be/],
    [{ out: " " }, /^--out needs a file name/],
  ])("refuses %o in one line", (values, message) => {
    expect(refusal(() => briefArguments(values, []))).toMatch(message);
  });
});

describe("npm run bench's arguments", () => {
  it("measures the default series with the default parameters", () => {
    expect(benchArguments({})).toEqual({
      sizes: DEFAULT_SIZES,
      hnsw: DEFAULT_HNSW_PARAMS,
      questions: 300,
      seed: 1,
      json: false,
    });
  });

  it("reads one size or a series, the parameters, and where results go", () => {
    const plan = benchArguments({
      passages: "300",
      dimension: "64",
      m: "8",
      "ef-construction": "50",
      "ef-search": "20",
      questions: "20",
      seed: "0",
      chart: "c.svg",
      json: true,
    });
    expect(plan).toMatchObject({ passages: 300, dimension: 64, questions: 20, seed: 0, chart: "c.svg", json: true });
    expect(plan.hnsw).toEqual({ m: 8, efConstruction: 50, efSearch: 20 });
    expect(benchArguments({ sizes: "100, 2000" }).sizes).toEqual([100, 2000]);
    expect(benchArguments({ from: "r.jsonl" })).toMatchObject({ from: "r.jsonl", sizes: DEFAULT_SIZES });
  });

  it.each([
    [{ passages: "ten" }, '--passages must be a whole number from 50 to 2000000, not "ten" (see --help)'],
    [{ passages: "49" }, '--passages must be a whole number from 50 to 2000000, not "49" (see --help)'],
    [{ sizes: "100,,200" }, '--sizes must be a whole number from 50 to 2000000, not "" (see --help)'],
    [{ m: "1" }, '--m must be a whole number from 2 to 128, not "1" (see --help)'],
    [{ seed: "-1" }, '--seed must be a whole number from 0 to 4294967295, not "-1" (see --help)'],
    [{ passages: "100", sizes: "100" }, "give either --passages or --sizes, not both (see --help)"],
    [{ from: "r.jsonl", sizes: "100" }, "--from reads results; it takes no --passages or --sizes (see --help)"],
  ])("refuses %o in one line", (values, message) => {
    expect(refusal(() => benchArguments(values))).toBe(message);
  });

  it("hands a child process the plan's parameters for its one size, which read back the same", () => {
    const plan = benchArguments({ sizes: "100,200", m: "8", questions: "20", seed: "7", dimension: "64" });
    const args = childArguments(200, plan);
    const { values } = parseCommandLine(args, {
      passages: { type: "string" },
      m: { type: "string" },
      "ef-construction": { type: "string" },
      "ef-search": { type: "string" },
      questions: { type: "string" },
      seed: { type: "string" },
      dimension: { type: "string" },
    });
    expect(benchArguments(values)).toEqual({ ...plan, passages: 200, sizes: DEFAULT_SIZES });
  });
});
