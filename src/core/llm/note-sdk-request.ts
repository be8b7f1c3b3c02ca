// The requests an SDK client wrapped by wrapOpenAI or wrapAnthropic sent through its
// `fetchWithTimeout`, by the signal of the SDK's own AbortController: the caller's signal and the
// client's timeout. The SDK aborts that controller, with no reason, both when the caller's signal
// aborts and when the timeout runs out; only the caller's signal tells the two apart.
const requests = new WeakMap<AbortSignal, { caller: AbortSignal | undefined; timeoutMs: number | undefined }>();

/**
 * Notes a request an SDK client is about to send: the signal its fetch will get, the caller's
 * signal and the client's timeout. Never throws.
 *
 * @param sdkSignal - the signal of the SDK's own AbortController, passed to its fetch
 * @param caller - the caller's `signal` request option, if any
 * @param timeoutMs - the client's `timeout` for this request
 * @example
 * noteSdkRequest(controller.signal, init?.signal ?? undefined, ms);
 */
export function noteSdkRequest(sdkSignal: unknown, caller: unknown, timeoutMs: unknown): void {
  if (!isSignal(sdkSignal)) return;
  requests.set(sdkSignal, { caller: isSignal(caller) ? caller : undefined, timeoutMs: typeof timeoutMs === "number" && Number.isFinite(timeoutMs) ? timeoutMs : undefined });
}

/**
 * What aborted a noted request: the caller's signal, or else the client's timeout. Undefined for
 * a signal no SDK client noted.
 *
 * @param signal - the signal a traced fetch was given
 * @returns `{ by: "caller" }`, `{ by: "timeout", timeoutMs }`, or undefined
 * @example
 * sdkAbortCause(init?.signal) // { by: "timeout", timeoutMs: 300 }
 */
export function sdkAbortCause(signal: unknown): { by: "caller" } | { by: "timeout"; timeoutMs: number | undefined } | undefined {
  const noted = isSignal(signal) ? requests.get(signal) : undefined;
  if (noted === undefined) return undefined;
  return noted.caller?.aborted === true ? { by: "caller" } : { by: "timeout", timeoutMs: noted.timeoutMs };
}

// Any AbortSignal-like object: a polyfill's or another realm's signal is not `instanceof AbortSignal`.
const isSignal = (v: unknown): v is AbortSignal => typeof v === "object" && v !== null && typeof (v as { aborted?: unknown }).aborted === "boolean";
