import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake OpenAI + Anthropic server on 127.0.0.1 with deterministic answers and usage.
 * Models: "rate-limited" answers 429, "broken" answers 500; the "hang" model streams two chunks
 * (or, not streamed, nothing) and then waits for the client to go away. A chat request with a
 * `response_format` is answered with the JSON object `{"city":"Paris","celsius":18}`.
 * "stream-error" fails mid-stream (an error chunk or event after the first delta). Under the path
 * prefix /mistral it answers as Mistral's API does: 422 to a request with `stream_options`, and
 * usage in a stream's last chunk unasked. A Messages request with a one-hour cache breakpoint
 * (`cache_control.ttl: "1h"`) reports its 1000 cache-write tokens split by lifetime (400 five-minute,
 * 600 one-hour) in `usage.cache_creation`.
 */
export interface FakeProvider {
  readonly url: string;
  /** The request bodies received, in order. */
  readonly requests: { path: string; body: Record<string, unknown> }[];
  /** Resolves when the server saw the client close a hanging stream. */
  readonly hangClosed: Promise<void>;
  close(): Promise<void>;
}

const sse = (data: unknown, event?: string): string => `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

/** The exact SSE text of the streamed chat completion, with or without the include_usage chunk. */
export function chatStreamText(model: string, includeUsage: boolean): string {
  const base = { id: "chatcmpl-stream-1", object: "chat.completion.chunk", created: 1700000000, model, system_fingerprint: "fp_fake" };
  const usageField = includeUsage ? { usage: null } : {};
  const words = ["Hello", " from", " the", " stream", "."];
  let out = sse({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }], ...usageField });
  for (const w of words) out += sse({ ...base, choices: [{ index: 0, delta: { content: w }, logprobs: null, finish_reason: null }], ...usageField });
  out += sse({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }], ...usageField });
  if (includeUsage) out += sse({ ...base, choices: [], usage: { prompt_tokens: 19, completion_tokens: 5, total_tokens: 24, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } });
  return `${out}data: [DONE]\n\n`;
}

/** The exact SSE text of a streamed chat completion from Mistral: usage in the last chunk, unasked. */
export function mistralStreamText(model: string): string {
  return chatStreamText(model, false).replace('"finish_reason":"stop"}]', '"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":5,"total_tokens":24}');
}

/** The exact SSE text of a streamed chat completion that calls get_weather (arguments in two pieces). */
export function chatToolStreamText(model: string, includeUsage: boolean): string {
  const base = { id: "chatcmpl-stream-tool-1", object: "chat.completion.chunk", created: 1700000000, model, system_fingerprint: "fp_fake" };
  const usageField = includeUsage ? { usage: null } : {};
  const call = (fn: Record<string, unknown>, first: boolean): Record<string, unknown> => ({ index: 0, ...(first ? { id: "call_1", type: "function" } : {}), function: fn });
  let out = sse({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: null, tool_calls: [call({ name: "get_weather", arguments: "" }, true)] }, logprobs: null, finish_reason: null }], ...usageField });
  for (const piece of ['{"city":', '"Paris"}']) out += sse({ ...base, choices: [{ index: 0, delta: { tool_calls: [call({ arguments: piece }, false)] }, logprobs: null, finish_reason: null }], ...usageField });
  out += sse({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" }], ...usageField });
  if (includeUsage) out += sse({ ...base, choices: [], usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 } });
  return `${out}data: [DONE]\n\n`;
}

// What a request with a one-hour cache breakpoint wrote to each cache, as Anthropic splits it.
const CACHE_SPLIT = { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 };

/**
 * Whether a Messages request marks a block `cache_control: { type: "ephemeral", ttl: "1h" }`;
 * such a request is answered with 1000 cache-write tokens, 600 of them to the one-hour cache.
 */
function asksOneHourCache(body: Record<string, unknown>): boolean {
  const blocks = [body.system, ...(Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]).map((m) => m.content) : [])].flatMap((c) => (Array.isArray(c) ? (c as { cache_control?: { ttl?: string } }[]) : []));
  return blocks.some((b) => b?.cache_control?.ttl === "1h");
}

/**
 * The exact SSE text of the streamed Anthropic message. With `oneHourCache`, message_start
 * reports 1000 cache-write tokens split by lifetime, and message_delta repeats the cumulative
 * input counts (without the split) as the API does today.
 */
export function anthropicStreamText(model: string, oneHourCache = false): string {
  const startUsage = oneHourCache
    ? { input_tokens: 21, cache_creation_input_tokens: 1000, cache_read_input_tokens: 100, cache_creation: CACHE_SPLIT, output_tokens: 1 }
    : { input_tokens: 21, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 1 };
  const deltaUsage = oneHourCache ? { input_tokens: 21, cache_creation_input_tokens: 1000, cache_read_input_tokens: 100, output_tokens: 7 } : { output_tokens: 7 };
  return (
    sse({ type: "message_start", message: { id: "msg_stream_1", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage } }, "message_start") +
    sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start") +
    sse({ type: "ping" }, "ping") +
    sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Bonjour" } }, "content_block_delta") +
    sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " !" } }, "content_block_delta") +
    sse({ type: "content_block_stop", index: 0 }, "content_block_stop") +
    sse({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: deltaUsage }, "message_delta") +
    sse({ type: "message_stop" }, "message_stop")
  );
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** Starts the fake provider on a port chosen at run time. */
export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: { path: string; body: Record<string, unknown> }[] = [];
  let onHangClosed: () => void = () => {};
  const hangClosed = new Promise<void>((resolve) => (onHangClosed = resolve));
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const full = (req.url ?? "").split("?")[0] ?? "";
      const mistral = full.startsWith("/mistral/");
      const path = mistral ? full.slice("/mistral".length) : full;
      requests.push({ path, body });
      const model = String(body.model ?? "");
      if (model === "rate-limited") return json(res, 429, { error: { message: "Rate limit reached for requests", type: "rate_limit_error", code: "rate_limit_exceeded" } }, { "retry-after": "0" });
      if (model === "broken") return json(res, 500, { error: { message: "The server had an error while processing your request.", type: "server_error" } });
      if (mistral && body.stream_options !== undefined) {
        return json(res, 422, { object: "error", message: { detail: [{ type: "extra_forbidden", loc: ["body", "stream_options"], msg: "Extra inputs are not permitted" }] }, type: "invalid_request_error", param: null, code: null });
      }
      if (mistral && path === "/v1/chat/completions" && body.stream === true) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        return res.end(mistralStreamText(model));
      }
      if (path === "/v1/chat/completions") return chat(res, body, model, () => onHangClosed(), req);
      if (path === "/v1/embeddings") {
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        return json(res, 200, { object: "list", model, data: inputs.map((_, index) => ({ object: "embedding", index, embedding: [0.1, 0.2, 0.3] })), usage: { prompt_tokens: 8, total_tokens: 8 } });
      }
      if (path === "/v1/messages") return messages(res, body, model, () => onHangClosed(), req);
      if (path === "/v1/responses") return responses(res, body, model);
      const gemini = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
      if (gemini) return generate(res, gemini[2] === "streamGenerateContent", gemini[1] as string);
      json(res, 404, { error: { message: `no route ${path}` } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hangClosed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function chat(res: ServerResponse, body: Record<string, unknown>, model: string, onClosed: () => void, req: IncomingMessage): void {
  const msgs = body.messages as { role: string }[];
  const wantsTool = Array.isArray(body.tools) && !msgs.some((m) => m.role === "tool");
  if (body.stream === true) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const text = wantsTool ? chatToolStreamText(model, includeUsage) : chatStreamText(model, includeUsage);
    if (model === "stream-error") {
      // One delta, then an error chunk in place of the rest, as OpenAI sends when it fails mid-stream.
      res.end(`${text.split("\n\n").slice(0, 2).join("\n\n")}\n\n${sse({ error: { message: "Overloaded mid-stream.", type: "server_error", param: null, code: null } })}`);
      return;
    }
    if (model === "refuser") {
      const base = { id: "chatcmpl-refuse-1", object: "chat.completion.chunk", created: 1700000000, model };
      const chunk = (delta: object, finish_reason: string | null): string => sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] });
      res.end(`${chunk({ role: "assistant", content: null, refusal: "" }, null)}${chunk({ refusal: "I can't" }, null)}${chunk({ refusal: " help with that." }, null)}${chunk({}, "stop")}data: [DONE]\n\n`);
      return;
    }
    if (model === "no-reason") {
      // A compatible server that never sends a finish reason, but ends its stream with [DONE].
      return void res.end(text.replace('"finish_reason":"stop"', '"finish_reason":null'));
    }
    if (model === "stream-cut") {
      // Two chunks, then the body ends cleanly without a finish reason or [DONE], as a proxy cutting the connection would.
      res.end(`${text.split("\n\n").slice(0, 2).join("\n\n")}\n\n`);
      return;
    }
    if (model === "hang") {
      const events = text.split("\n\n");
      res.write(`${events[0]}\n\n${events[1]}\n\n`);
      req.socket.on("close", onClosed);
      return;
    }
    // Written in uneven pieces so events straddle chunk boundaries.
    for (let i = 0; i < text.length; i += 37) res.write(text.slice(i, i + 37));
    res.end();
    return;
  }
  if (model === "hang") {
    req.socket.on("close", onClosed);
    return;
  }
  const message = model === "refuser"
    ? { role: "assistant", content: null, refusal: "I can't help with that." }
    : body.response_format
    ? { role: "assistant", content: '{"city":"Paris","celsius":18}', refusal: null }
    : wantsTool
    ? { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }], refusal: null }
    : { role: "assistant", content: msgs.some((m) => m.role === "tool") ? "It is 18°C in Paris." : "Hello there!", refusal: null };
  json(res, 200, {
    id: wantsTool ? "chatcmpl-tool-1" : "chatcmpl-1",
    object: "chat.completion",
    created: 1700000000,
    model: `${model}-2024-07-18`,
    choices: [{ index: 0, message, logprobs: null, finish_reason: wantsTool ? "tool_calls" : "stop" }],
    usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 200 }, completion_tokens_details: { reasoning_tokens: 0 } },
  });
}

function messages(res: ServerResponse, body: Record<string, unknown>, model: string, onClosed: () => void, req: IncomingMessage): void {
  if (body.stream === true) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const text = model === "thinker" ? anthropicThinkingStreamText(model) : model === "searcher" ? anthropicSearchStreamText(model) : anthropicStreamText(model, asksOneHourCache(body));
    if (model === "stream-error") {
      // message_start, content_block_start, ping and the first delta; then an overloaded error event.
      res.end(`${text.split("\n\n").slice(0, 4).join("\n\n")}\n\n${sse({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, "error")}`);
      return;
    }
    if (model === "stream-cut") {
      // message_start, content_block_start, ping and the first delta; then the body ends cleanly.
      res.end(`${text.split("\n\n").slice(0, 4).join("\n\n")}\n\n`);
      return;
    }
    if (model === "hang") {
      // message_start, content_block_start, ping and the first delta; then nothing.
      res.write(text.split("\n\n").slice(0, 4).join("\n\n") + "\n\n");
      req.socket.on("close", onClosed);
      return;
    }
    for (let i = 0; i < text.length; i += 53) res.write(text.slice(i, i + 53));
    res.end();
    return;
  }
  if (model === "hang") {
    req.socket.on("close", onClosed);
    return;
  }
  const msgs = body.messages as { role: string; content: unknown }[];
  const wantsTool = Array.isArray(body.tools) && !msgs.some((m) => Array.isArray(m.content) && (m.content as { type: string }[]).some((b) => b.type === "tool_result"));
  json(res, 200, {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model,
    content: model === "thinker"
      ? [{ type: "thinking", thinking: "The user greets me.", signature: "sig-1" }, { type: "redacted_thinking", data: "EmwKAhgBEgy3" }, { type: "text", text: "Hi!" }]
      : model === "searcher" ? SEARCH_BLOCKS
      : wantsTool ? [{ type: "text", text: "Let me check." }, { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }] : [{ type: "text", text: "Hi!" }],
    stop_reason: wantsTool ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 50, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, ...(asksOneHourCache(body) ? { cache_creation: CACHE_SPLIT } : {}), output_tokens: 40, ...(model === "thinker" ? { output_tokens_details: { thinking_tokens: 8 } } : {}) },
  });
}

// An answer that used Anthropic's server-side web search tool.
const SEARCH_RESULT = { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [{ type: "web_search_result", url: "https://weather.example/paris", title: "Paris", encrypted_content: "Eo8B", page_age: null }] };
const SEARCH_BLOCKS = [{ type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "paris weather" } }, SEARCH_RESULT, { type: "text", text: "Sunny." }];

/** The exact SSE text of a streamed Anthropic message that searched the web first (a server tool). */
export function anthropicSearchStreamText(model: string): string {
  return (
    sse({ type: "message_start", message: { id: "msg_search_1", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 30, output_tokens: 1 } } }, "message_start") +
    sse({ type: "content_block_start", index: 0, content_block: { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: {} } }, "content_block_start") +
    sse({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"query": "paris' } }, "content_block_delta") +
    sse({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: ' weather"}' } }, "content_block_delta") +
    sse({ type: "content_block_stop", index: 0 }, "content_block_stop") +
    sse({ type: "content_block_start", index: 1, content_block: SEARCH_RESULT }, "content_block_start") +
    sse({ type: "content_block_stop", index: 1 }, "content_block_stop") +
    sse({ type: "content_block_start", index: 2, content_block: { type: "text", text: "" } }, "content_block_start") +
    sse({ type: "content_block_delta", index: 2, delta: { type: "text_delta", text: "Sunny." } }, "content_block_delta") +
    sse({ type: "content_block_stop", index: 2 }, "content_block_stop") +
    sse({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 12 } }, "message_delta") +
    sse({ type: "message_stop" }, "message_stop")
  );
}

/** The exact SSE text of a streamed Anthropic message that thinks first (extended thinking). */
export function anthropicThinkingStreamText(model: string): string {
  return (
    sse({ type: "message_start", message: { id: "msg_think_1", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 30, output_tokens: 1 } } }, "message_start") +
    sse({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }, "content_block_start") +
    sse({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "The user " } }, "content_block_delta") +
    sse({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "greets me." } }, "content_block_delta") +
    sse({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig-1" } }, "content_block_delta") +
    sse({ type: "content_block_stop", index: 0 }, "content_block_stop") +
    sse({ type: "content_block_start", index: 1, content_block: { type: "redacted_thinking", data: "EmwKAhgBEgy3" } }, "content_block_start") +
    sse({ type: "content_block_stop", index: 1 }, "content_block_stop") +
    sse({ type: "content_block_start", index: 2, content_block: { type: "text", text: "" } }, "content_block_start") +
    sse({ type: "content_block_delta", index: 2, delta: { type: "text_delta", text: "Hi!" } }, "content_block_delta") +
    sse({ type: "content_block_stop", index: 2 }, "content_block_stop") +
    sse({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 12, output_tokens_details: { thinking_tokens: 8 } } }, "message_delta") +
    sse({ type: "message_stop" }, "message_stop")
  );
}

/** The exact SSE text of a streamed Gemini answer. */
export function geminiStreamText(model: string): string {
  const chunk = (text: string, extra: Record<string, unknown> = {}): string =>
    sse({ candidates: [{ content: { parts: [{ text }], role: "model" }, index: 0, ...extra }], modelVersion: model, responseId: "gem-1" }).replace(/\n\n$/, "\r\n\r\n");
  return chunk("Ciao") + chunk(" mondo", { finishReason: "STOP" }).replace(',"modelVersion"', ',"usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":4,"totalTokenCount":15},"modelVersion"');
}

function generate(res: ServerResponse, stream: boolean, model: string): void {
  if (stream && model === "blocked") {
    // A prompt Gemini blocks: one chunk without candidates, the reason in promptFeedback.
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(sse({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 }, modelVersion: model }));
    return;
  }
  if (stream) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(geminiStreamText(model));
    return;
  }
  json(res, 200, {
    candidates: [{ content: { parts: [{ text: "Ciao!" }], role: "model" }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 1000, candidatesTokenCount: 100, totalTokenCount: 1150, thoughtsTokenCount: 50 },
    modelVersion: model,
    responseId: "gem-0",
  });
}

/** The Responses API answer: one message, usage with cached input and reasoning tokens. */
function responseBody(model: string, status: "in_progress" | "completed"): Record<string, unknown> {
  const done = status === "completed";
  return {
    id: "resp_1",
    object: "response",
    created_at: 1700000000,
    status,
    model: `${model}-2025-04-14`,
    instructions: null,
    output: done ? [{ type: "message", id: "msg_r1", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Hello from responses!", annotations: [] }] }] : [],
    usage: done ? { input_tokens: 900, input_tokens_details: { cached_tokens: 100 }, output_tokens: 60, output_tokens_details: { reasoning_tokens: 20 }, total_tokens: 960 } : null,
  };
}

/** The exact SSE text of a streamed Responses API answer. */
export function responsesStreamText(model: string): string {
  const item = { type: "message", id: "msg_r1", status: "in_progress", role: "assistant", content: [] };
  const events: [string, Record<string, unknown>][] = [
    ["response.created", { response: responseBody(model, "in_progress") }],
    ["response.output_item.added", { output_index: 0, item }],
    ["response.content_part.added", { item_id: "msg_r1", output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } }],
    ...["Hello", " from", " responses!"].map((delta): [string, Record<string, unknown>] => ["response.output_text.delta", { item_id: "msg_r1", output_index: 0, content_index: 0, delta }]),
    ["response.output_text.done", { item_id: "msg_r1", output_index: 0, content_index: 0, text: "Hello from responses!" }],
    ["response.completed", { response: responseBody(model, "completed") }],
  ];
  if (model === "failed") {
    // The model fails mid-answer: response.failed carries the error instead of response.completed.
    events.splice(4);
    events.push(["response.failed", { response: { ...responseBody(model, "in_progress"), status: "failed", error: { code: "server_error", message: "The model crashed." } } }]);
  } else if (model === "stream-error") {
    events.splice(4);
    events.push(["error", { code: "rate_limit_exceeded", message: "Too many tokens mid-stream.", param: null }]);
  }
  return events.map(([type, data], sequence_number) => sse({ type, sequence_number, ...data }, type)).join("");
}

function responses(res: ServerResponse, body: Record<string, unknown>, model: string): void {
  if (body.stream === true) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const text = responsesStreamText(model);
    // The first two events, then the body ends cleanly, as a proxy cutting the connection would.
    if (model === "stream-cut") return void res.end(`${text.split("\n\n").slice(0, 2).join("\n\n")}\n\n`);
    for (let i = 0; i < text.length; i += 61) res.write(text.slice(i, i + 61));
    res.end();
    return;
  }
  json(res, 200, responseBody(model, "completed"));
}
