import { flush } from "spanwise/node";

/**
 * Flushes after the current turn: a JSON answer is read for its span from a copy of the body,
 * which settles in the same turn as the caller's own read, so let that turn finish first.
 *
 * @example
 * await client.chat.completions.create(request);
 * await flushSettled();
 */
export async function flushSettled(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await flush();
}
