import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { RenderedMessage } from "../../src/discord/render/message.js";
import { ThrottledEdits } from "../../src/discord/throttled-edits.js";

const body = (text: string): RenderedMessage => ({ embeds: [{ description: text }], components: [] });
const textOf = (b: RenderedMessage) => b.embeds[0]?.description;

/** An edit function that records what it was sent and when, taking `ms` per edit. */
function recorder(ms = 0, failOn?: string) {
  const sent: { text: string | undefined; at: number; done: number }[] = [];
  const edit = async (b: RenderedMessage) => {
    const at = performance.now();
    await sleep(ms);
    if (textOf(b) === failOn) throw new Error("edit failed");
    sent.push({ text: textOf(b), at, done: performance.now() });
  };
  return { sent, edit };
}

describe("ThrottledEdits", () => {
  it("edits at most once per interval, showing the newest text, and the final body last", async () => {
    const { sent, edit } = recorder();
    const edits = new ThrottledEdits(edit, () => {}, 60);
    const started = performance.now();
    for (let i = 1; i <= 10; i++) {
      edits.push(body(`part ${i}`));
      await sleep(15);
    }
    const elapsed = performance.now() - started;
    await edits.finish(body("final"));
    expect(sent.at(-1)?.text).toBe("final");
    const progress = sent.slice(0, -1);
    // Ten pushes, but one edit per 60 ms of the time they took (however slow the machine).
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(Math.floor(elapsed / 60) + 1);
    expect(progress.length).toBeLessThan(10);
    for (let i = 1; i < progress.length; i++)
      expect((progress[i]?.at ?? 0) - (progress[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(50);
    expect(progress[0]?.text).toBe("part 1");
  });

  it("never lets a progress edit land after the final one, even when it is slow", async () => {
    const { sent, edit } = recorder(80);
    const edits = new ThrottledEdits(edit, () => {}, 10);
    edits.push(body("progress"));
    await sleep(20); // the progress edit is now in flight
    edits.push(body("dropped"));
    await edits.finish(body("final"));
    edits.push(body("too late"));
    await sleep(50);
    expect(sent.map((s) => s.text)).toEqual(["progress", "final"]);
  });

  it("reports a failed progress edit and still sends the final body", async () => {
    const { sent, edit } = recorder(0, "broken");
    const errors: unknown[] = [];
    const edits = new ThrottledEdits(edit, (e) => errors.push(e), 10);
    edits.push(body("broken"));
    await sleep(30);
    await edits.finish(body("final"));
    expect(errors).toHaveLength(1);
    expect(sent.map((s) => s.text)).toEqual(["final"]);
  });

  it("sends nothing more once cancelled", async () => {
    const { sent, edit } = recorder();
    const edits = new ThrottledEdits(edit, () => {}, 30);
    edits.push(body("a"));
    await sleep(5);
    edits.push(body("b"));
    edits.cancel();
    await sleep(60);
    expect(sent.map((s) => s.text)).toEqual(["a"]);
  });
});
