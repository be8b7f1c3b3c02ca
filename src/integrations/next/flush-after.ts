import { after } from "next/server";
import { flush } from "../../core/lifecycle.js";

/** Something that keeps an edge invocation alive for a promise (a middleware's `NextFetchEvent`). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * On the edge runtime, where nothing runs once the response is out unless the platform is told
 * to wait, exports the request's spans after the response: through `event.waitUntil` when the
 * caller has one (once `result`, when it is a promise, has settled, so an async middleware's span
 * has ended), else Next's `after()`, which runs once a streamed body has been sent. On the nodejs
 * runtime the batch queue exports as usual.
 *
 * @param event - the middleware's `NextFetchEvent`, if any
 * @param result - what the traced function returned
 * @example
 * flushAfter(event, result);
 */
export function flushAfter(event: unknown, result?: unknown): void {
  if (typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime !== "string") return;
  const task = (): Promise<void> => flush();
  try {
    if (event !== null && typeof event === "object" && typeof (event as WaitUntil).waitUntil === "function") {
      const settled = result instanceof Promise ? result.then(task, task) : task();
      (event as WaitUntil).waitUntil(settled);
    } else after(task);
  } catch {
    // Outside a request scope there is nothing to wait on; the spans go with the next flush.
  }
}
