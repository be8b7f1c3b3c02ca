/**
 * Puts a tap under a wrapped client's traced fetch: every byte the SDK itself reads, after
 * spanwise's tracing, is pushed to `received`. The client's fetch is private in the SDKs' types;
 * the wrapper replaced it with the traced one, which the tap calls.
 *
 * @param client - a client wrapped by wrapOpenAI or wrapAnthropic
 * @param received - receives the chunks of every answer's body, in order
 * @returns the same client
 * @example
 * const bytes: Uint8Array[] = [];
 * const openai = captureReceived(wrapOpenAI(new OpenAI()), bytes);
 */
export function captureReceived<C extends object>(client: C, received: Uint8Array[]): C {
  const slot = client as unknown as { fetch: typeof fetch };
  const traced = slot.fetch;
  slot.fetch = async (input, init) => {
    const r = await traced(input, init);
    if (!r.body) return r;
    const tee = r.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, ctl) => (received.push(chunk), ctl.enqueue(chunk)) }));
    return new Response(tee, { status: r.status, headers: r.headers });
  };
  return client;
}
