/**
 * A support chat agent served with Bun.serve and traced by spanwise.
 *
 *   npm run example:bun
 *
 * It serves on 127.0.0.1, asks itself two questions (one answered as JSON, one streamed as
 * server-sent events) and shuts the server down. Each request is a SERVER span with the agent's
 * work nested under it; when the program ends spanwise prints the trace trees, or sends them to
 * SPANWISE_ENDPOINT when that is set.
 */
import { init, observe, updateCurrentSpan, withTracing } from "spanwise/bun";

init({ serviceName: "bun-support-chat" });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// A stand-in for a real model, so the example runs offline and without an API key.
const chat = observe(async (prompt: string): Promise<string> => {
  await sleep(30);
  const text = prompt.includes("refund") ? "Unopened items can be refunded within 30 days." : "Orders ship within one business day.";
  updateCurrentSpan({ model: "fake-mini", usage: { inputTokens: Math.ceil(prompt.length / 4), outputTokens: Math.ceil(text.length / 4) } });
  return text;
}, { name: "chat fake-mini", kind: "llm" });

const searchDocs = observe(async (_query: string): Promise<string[]> => {
  await sleep(8);
  return ["Refunds: within 30 days, items unopened.", "Shipping: within one business day."];
}, { name: "search docs", kind: "retrieval" });

const answer = observe(async (question: string): Promise<string> => {
  const docs = await searchDocs(question);
  return chat(`${docs.join("\n")}\n\nQuestion: ${question}`);
}, { name: "answer", kind: "agent" });

const encoder = new TextEncoder();

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: withTracing(
    async (request) => {
      const url = new URL(request.url);
      const question = url.searchParams.get("q") ?? "Can I get a refund?";
      if (url.pathname === "/ask") return Response.json({ answer: await answer(question) });
      if (url.pathname === "/stream") {
        const words = (await answer(question)).split(" ");
        // The SERVER span stays open until the last event has been sent.
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await sleep(5);
            const word = words.shift();
            if (word === undefined) controller.close();
            else controller.enqueue(encoder.encode(`data: ${word}\n\n`));
          },
        });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      }
      return new Response("not found", { status: 404 });
    },
    // This app's routes have no parameters, so the path is the route.
    { route: (request) => new URL(request.url).pathname },
  ),
});

const base = `http://127.0.0.1:${server.port}`;
const asked = (await (await fetch(`${base}/ask?q=${encodeURIComponent("Can I get a refund?")}`)).json()) as { answer: string };
console.log(`/ask    → ${asked.answer}`);
const events = await (await fetch(`${base}/stream?q=${encodeURIComponent("When does my order ship?")}`)).text();
console.log(`/stream → ${events.split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, "")).join(" ")}`);
await server.stop();
// No flush() here: spanwise flushes when the program ends.
