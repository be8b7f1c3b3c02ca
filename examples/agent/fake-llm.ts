/**
 * A local stand-in for the OpenAI API so the demo runs offline with no key: chat completions
 * (streamed as server-sent events, like the real API, or not) and embeddings, with deterministic
 * answers and token usage (about four characters per token, a real tokenizer's order of magnitude).
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running fake provider; give `baseURL` to the `openai` client. */
export interface FakeLLM {
  baseURL: string;
  close(): Promise<void>;
}

const tokens = (s: string): number => Math.max(1, Math.ceil(s.length / 4));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function answerFor(prompt: string): string {
  if (prompt.includes("Plan how")) return "1. Look up the order. 2. Check the refund policy. 3. Answer the customer.";
  return "Your order #1042 shipped yesterday and arrives Friday. Unopened items can be refunded within 30 days.";
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
}

async function chat(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const model = String(body.model ?? "gpt-4o-mini");
  const messages = (body.messages ?? []) as { content?: unknown }[];
  const prompt = messages.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
  const text = answerFor(prompt);
  const usage = { prompt_tokens: tokens(prompt), completion_tokens: tokens(text), total_tokens: tokens(prompt) + tokens(text) };
  const base = { id: "chatcmpl-demo", created: 1_700_000_000, model };
  if (!body.stream) {
    await sleep(30);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (data: unknown): boolean => res.write(`data: ${JSON.stringify(data)}\n\n`);
  await sleep(25); // time to first token
  const words = text.split(" ");
  for (let i = 0; i < words.length; i++) {
    send({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: i === 0 ? { role: "assistant", content: words[i] } : { content: ` ${words[i]}` }, finish_reason: null }] });
    await sleep(2);
  }
  send({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  const opts = body.stream_options as { include_usage?: boolean } | undefined;
  if (opts?.include_usage) send({ ...base, object: "chat.completion.chunk", choices: [], usage });
  res.end("data: [DONE]\n\n");
}

async function embeddings(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input ?? "")];
  await sleep(5);
  const data = inputs.map((text, index) => ({
    object: "embedding",
    index,
    embedding: Array.from({ length: 8 }, (_, i) => ((text.charCodeAt(i % Math.max(1, text.length)) * (i + 1)) % 97) / 97),
  }));
  const n = inputs.reduce((sum, t) => sum + tokens(t), 0);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ object: "list", data, model: body.model, usage: { prompt_tokens: n, total_tokens: n } }));
}

/**
 * Starts the fake provider on 127.0.0.1 at a free port.
 *
 * @returns its base URL and `close()`
 * @example
 * const llm = await startFakeLLM(); const openai = new OpenAI({ baseURL: llm.baseURL, apiKey: "demo" });
 */
export async function startFakeLLM(): Promise<FakeLLM> {
  const server = createServer((req, res) => {
    const route = req.method === "POST" && req.url?.endsWith("/chat/completions") ? chat : req.method === "POST" && req.url?.endsWith("/embeddings") ? embeddings : undefined;
    if (route === undefined) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `the demo's fake LLM has no ${req.method} ${req.url}` } }));
      return;
    }
    readJson(req)
      .then((body) => route(body, res))
      .catch((err: unknown) => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: String(err) } }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
