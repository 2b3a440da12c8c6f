/** The error `work` fails with, its own fields readable; fails the test when it succeeds. */
export async function caught(work: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await work();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a failure");
}
