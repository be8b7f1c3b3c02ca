// The request handler both the Deno and the Bun fixture apps serve, written against the public
// API only. Every span it makes carries the request's own id in its name, taken from a local
// variable, so a span that lands in another request's trace is caught by name.
import type * as Spanwise from "spanwise";

type Api = Pick<typeof Spanwise, "span" | "observe" | "recordLLM" | "currentSpan" | "inject" | "flush" | "startSpan">;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** 0–7 ms, so concurrent requests interleave differently on every run. */
const jitter = (): Promise<void> => sleep(Math.floor(Math.random() * 8));

/**
 * Routes:
 * - `/agent/:id`: an agent span with nested spans across awaits, parallel awaits and a timer
 *   callback; answers with the traceparent `inject()` sees inside the handler.
 * - `/stream/:id`: a body of three chunks produced on timers after the handler returned.
 * - `/endless/:id`: a body that never ends on its own (the client cancels it).
 * - `/fail`: throws inside a nested span.
 * - `/flush`: awaits `flush()`.
 */
export function createAgentHandler(api: Api): (request: Request) => Promise<Response> {
  const { span, observe, recordLLM, currentSpan, inject, flush, startSpan } = api;
  const tool = (name: string) => observe(async () => {
    await jitter();
    return name;
  }, { name, kind: "tool" });

  return async (request) => {
    const path = new URL(request.url).pathname;
    const [, route, id = ""] = path.split("/");
    if (route === "agent") {
      const agent = observe(async () => {
        await span(`plan ${id}`, { kind: "workflow" }, async () => {
          const startedAt = Date.now();
          await jitter();
          recordLLM({ provider: "fake", model: "tiny", name: `chat ${id}`, inputTokens: 3, outputTokens: 2, startedAt, endedAt: Date.now() });
        });
        await Promise.all([tool(`search ${id}`)(), tool(`lookup ${id}`)()]);
        // The context must also survive a timer callback, not only an await.
        await new Promise<void>((resolve) => setTimeout(() => span(`timer ${id}`, () => resolve()), Math.floor(Math.random() * 5)));
        return inject({} as Record<string, string>).traceparent;
      }, { name: `agent ${id}`, kind: "agent" });
      const traceparent = await agent();
      return Response.json({ id, traceparent });
    }
    if (route === "stream") {
      const server = currentSpan();
      const encoder = new TextEncoder();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await sleep(10);
          controller.enqueue(encoder.encode(`chunk ${sent}\n`));
          sent++;
          if (sent === 3) {
            // Marks, in the server's own clock, when the last chunk left.
            startSpan(`last chunk ${id}`, { parent: server ?? null }).end();
            controller.close();
          }
        },
      });
      span(`handler returns ${id}`, () => undefined);
      return new Response(body, { headers: { "content-type": "text/plain" } });
    }
    if (route === "endless") {
      // Never ends on its own: only the client going away can end this response (the test
      // kills the app in any case).
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await sleep(10);
          controller.enqueue(encoder.encode("tick\n"));
        },
      });
      // A streamed media type: Bun follows only bodies that say they stream.
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    if (route === "fail") {
      await span("failing step", async () => {
        await jitter();
        throw new Error("boom");
      });
    }
    if (route === "flush") {
      await flush();
      return new Response("flushed");
    }
    return new Response("not found", { status: 404 });
  };
}
