/**
 * A chat Worker traced with spanwise: it asks an LLM (a fake one, served by this same Worker at
 * /v1/chat/completions) and streams the answer to the client as it arrives. Run it with
 * `npx wrangler dev` at the repository root, then open http://localhost:8787/chat?q=where+is+my+order
 *
 * Every request is one trace: the Worker's root span (open until the stream ends), the "chat"
 * agent span, the LLM span with model, tokens and output, the outgoing fetch, and, because the
 * fake LLM is on the same origin, the fake LLM's own request continuing the same trace.
 */
import { type ExecutionContext, instrument, span, startSpan } from "spanwise/workers";
import { fakeChatCompletions } from "./fake-llm.js";

interface Env {
  /** Where the chat completions API lives. Default: this Worker's own fake. */
  LLM_BASE_URL?: string;
  /** An OTLP/HTTP endpoint; without one the trace tree is printed to the console. */
  SPANWISE_ENDPOINT?: string;
}

const MODEL = "fake-gpt-mini";

async function chat(question: string, base: string): Promise<Response> {
  const llm = startSpan(`chat ${MODEL}`, { kind: "llm" });
  llm.update({ provider: "fake", model: MODEL, input: question });
  let upstream: Response;
  try {
    upstream = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: "user", content: question }] }),
    });
  } catch (err) {
    llm.recordException(err);
    llm.end();
    throw err;
  }
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  let answer = "";
  let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
  // Passes each word on as soon as it arrives, and completes the LLM span when the stream ends.
  const words = (upstream.body as ReadableStream<Uint8Array>).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        for (let end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
          const data = pending.slice(0, end).replace(/^data: /, "");
          pending = pending.slice(end + 2);
          if (data === "[DONE]") continue;
          const event = JSON.parse(data) as { choices?: { delta?: { content?: string } }[]; usage?: typeof usage };
          const delta = event.choices?.[0]?.delta?.content;
          if (delta) {
            answer += delta;
            controller.enqueue(encoder.encode(`data: ${JSON.stringify({ delta })}\n\n`));
          }
          if (event.usage) usage = event.usage;
        }
      },
      flush() {
        llm.update({ output: answer, usage: { inputTokens: usage?.prompt_tokens, outputTokens: usage?.completion_tokens } });
        llm.end();
      },
    }),
  );
  return new Response(words, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
}

export default instrument(
  {
    async fetch(request: Request, env: Env, _ctx: ExecutionContext): Promise<Response> {
      const url = new URL(request.url);
      if (url.pathname === "/v1/chat/completions" && request.method === "POST") return fakeChatCompletions(request);
      if (url.pathname !== "/chat") return new Response("Ask a question at /chat?q=where+is+my+order\n", { status: 404 });
      const question = url.searchParams.get("q") ?? "Where is my order #1042?";
      // The agent span stays open while its answer streams out.
      return span("chat", { kind: "agent", captureOutput: false }, () => chat(question, env.LLM_BASE_URL ?? url.origin));
    },
  },
  // The trace tree goes to the console; a SPANWISE_ENDPOINT var adds OTLP export.
  { serviceName: "chat-worker", exporters: ["console"] },
);
