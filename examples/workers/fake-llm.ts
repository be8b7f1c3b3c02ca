/**
 * A stand-in for an OpenAI-style chat completions endpoint, so the example runs offline with no
 * API key: it streams the answer word by word as server-sent events, then the token usage.
 */
const ANSWER = "Your order #1042 shipped yesterday and arrives on Friday. Unopened items can be refunded within 30 days.";
const tokens = (s: string): number => Math.max(1, Math.ceil(s.length / 4));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Answers `POST /v1/chat/completions` with `stream: true`.
 *
 * @param request - the chat completions request
 * @returns a text/event-stream response
 * @example
 * if (url.pathname === "/v1/chat/completions") return fakeChatCompletions(request);
 */
export async function fakeChatCompletions(request: Request): Promise<Response> {
  const body = (await request.json()) as { model?: string; messages?: { content: string }[] };
  const model = body.model ?? "fake-gpt";
  const prompt = (body.messages ?? []).map((m) => m.content).join("\n");
  const words = ANSWER.split(" ");
  const encoder = new TextEncoder();
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const send = (data: unknown) => controller.enqueue(encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`));
      if (i < words.length) {
        await sleep(40);
        send({ model, choices: [{ index: 0, delta: { content: (i === 0 ? "" : " ") + words[i] } }] });
        i++;
        return;
      }
      send({ model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: tokens(prompt), completion_tokens: tokens(ANSWER) } });
      send("[DONE]");
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream" } });
}
