import type { Usage } from "../span.js";
import type { LLMResult } from "./llm-span.js";
import { type Message, type MessagePart, toParts } from "./messages.js";
import { type ProviderAdapter, num, obj, outputType, parseJson, providerError, real, str, strings } from "./provider-adapter.js";

/** OpenAI chat completion usage in spanwise terms. */
export function openaiUsage(u: unknown): Usage {
  const usage = obj(u);
  return {
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
    totalTokens: num(usage.total_tokens),
    cacheReadTokens: num(obj(usage.prompt_tokens_details).cached_tokens),
    reasoningTokens: num(obj(usage.completion_tokens_details).reasoning_tokens),
  };
}

function inputMessages(messages: unknown): { messages: Message[]; system: unknown[] } {
  const out: Message[] = [];
  const system: unknown[] = [];
  for (const m of Array.isArray(messages) ? (messages as Record<string, unknown>[]) : []) {
    const role = String(m?.role);
    if (role === "system" || role === "developer") {
      system.push(...toParts(m.content));
      continue;
    }
    const parts = toParts(m.content);
    for (const call of Array.isArray(m.tool_calls) ? (m.tool_calls as Record<string, unknown>[]) : []) parts.push(toolCall(call));
    if (role === "tool") out.push({ role, parts: [{ type: "tool_call_response", id: str(m.tool_call_id), response: m.content }] });
    else out.push({ role, parts });
  }
  return { messages: out, system };
}

function toolCall(call: Record<string, unknown>): MessagePart {
  const fn = obj(call.function);
  const args = str(fn.arguments);
  return { type: "tool_call", id: str(call.id), name: String(fn.name ?? ""), arguments: args === undefined ? fn.arguments : (parseJson(args) ?? args) };
}

/**
 * OpenAI chat completions (`/chat/completions`), and every host that speaks it.
 *
 * @param provider - `gen_ai.provider.name` of the spans
 * @param streamUsage - whether streams may be asked for usage (`stream_options`); false for hosts that reject the field
 * @returns the adapter
 * @example
 * openaiChat("groq")
 */
export function openaiChat(provider: string, streamUsage = true): ProviderAdapter {
  return {
    provider,
    parseRequest(body) {
      const { messages, system } = inputMessages(body.messages);
      return {
        provider,
        operation: "chat",
        model: str(body.model),
        temperature: num(body.temperature),
        maxTokens: num(body.max_completion_tokens) ?? num(body.max_tokens),
        topP: num(body.top_p),
        stream: body.stream === true,
        seed: real(body.seed),
        frequencyPenalty: real(body.frequency_penalty),
        presencePenalty: real(body.presence_penalty),
        stopSequences: strings(body.stop),
        choiceCount: num(body.n),
        outputType: outputType(obj(body.response_format).type),
        messages,
        system: system.length > 0 ? system : undefined,
        tools: Array.isArray(body.tools) ? body.tools : undefined,
        raw: body.messages,
      };
    },
    parseResponse(b) {
      const body = obj(b);
      const output: Message[] = [];
      const reasons: string[] = [];
      let text: string | undefined;
      for (const c of Array.isArray(body.choices) ? (body.choices as Record<string, unknown>[]) : []) {
        const m = obj(c.message);
        const parts = toParts(m.content);
        // A refusal comes in place of content (content null): it is what the model said.
        if (typeof m.refusal === "string") parts.push({ type: "refusal", content: m.refusal });
        for (const call of Array.isArray(m.tool_calls) ? (m.tool_calls as Record<string, unknown>[]) : []) parts.push(toolCall(call));
        const reason = str(c.finish_reason);
        if (reason) reasons.push(reason);
        output.push({ role: str(m.role) ?? "assistant", parts, finish_reason: reason });
        text ??= str(m.content) ?? str(m.refusal);
      }
      return { model: str(body.model), id: str(body.id), finishReasons: reasons, usage: openaiUsage(body.usage), output, outputValue: text ?? (output.length > 0 ? output : undefined) };
    },
    withUsage(body) {
      if (!streamUsage || body.stream !== true) return undefined;
      const options = obj(body.stream_options);
      if ("include_usage" in options) return undefined;
      return { ...body, stream_options: { ...options, include_usage: true } };
    },
    stream(injected) {
      let model: string | undefined;
      let id: string | undefined;
      let usage: Usage = {};
      let error: LLMResult["error"];
      let ended = false;
      const choices = new Map<number, { text: string; refusal: string; reason?: string; role?: string; calls: Map<number, { id?: string; name: string; args: string }> }>();
      return {
        event(name, data) {
          if (data === "[DONE]") {
            ended = true;
            return { content: false, drop: false };
          }
          const chunk = obj(parseJson(data));
          // A failure mid-stream comes as a chunk (or an `error` event) holding only `error`.
          if (name === "error" || (chunk.error !== undefined && chunk.error !== null)) error = providerError(chunk.error ?? chunk, "error");
          model ??= str(chunk.model);
          id ??= str(chunk.id);
          const list = Array.isArray(chunk.choices) ? (chunk.choices as Record<string, unknown>[]) : [];
          if (chunk.usage && typeof chunk.usage === "object") usage = openaiUsage(chunk.usage);
          let content = false;
          for (const c of list) {
            const index = num(c.index) ?? 0;
            let state = choices.get(index);
            if (!state) choices.set(index, (state = { text: "", refusal: "", calls: new Map() }));
            const delta = obj(c.delta);
            if (typeof delta.role === "string") state.role = delta.role;
            if (typeof delta.content === "string" && delta.content !== "") {
              state.text += delta.content;
              content = true;
            }
            if (typeof delta.refusal === "string" && delta.refusal !== "") {
              state.refusal += delta.refusal;
              content = true;
            }
            for (const tc of Array.isArray(delta.tool_calls) ? (delta.tool_calls as Record<string, unknown>[]) : []) {
              const i = num(tc.index) ?? 0;
              let call = state.calls.get(i);
              if (!call) state.calls.set(i, (call = { name: "", args: "" }));
              const fn = obj(tc.function);
              call.id ??= str(tc.id);
              if (typeof fn.name === "string") call.name += fn.name;
              if (typeof fn.arguments === "string") call.args += fn.arguments;
              content = true;
            }
            if (typeof c.finish_reason === "string") state.reason = c.finish_reason;
          }
          // The usage-only chunk that include_usage adds: no choices, just usage.
          return { content, drop: injected && list.length === 0 && chunk.usage !== undefined && chunk.usage !== null, usageNull: injected && chunk.usage === null };
        },
        result(): LLMResult {
          const output: Message[] = [];
          const reasons: string[] = [];
          for (const [, c] of [...choices].sort((a, b) => a[0] - b[0])) {
            const parts: MessagePart[] = c.text !== "" ? [{ type: "text", content: c.text }] : [];
            if (c.refusal !== "") parts.push({ type: "refusal", content: c.refusal });
            for (const [, call] of [...c.calls].sort((a, b) => a[0] - b[0])) parts.push({ type: "tool_call", id: call.id, name: call.name, arguments: parseJson(call.args) ?? call.args });
            if (c.reason) reasons.push(c.reason);
            output.push({ role: c.role ?? "assistant", parts, finish_reason: c.reason });
          }
          // The first choice's text, or its refusal.
          const said = choices.get(0)?.text || choices.get(0)?.refusal;
          return { model, id, finishReasons: reasons, usage, output, outputValue: said ? said : output.length > 0 ? output : undefined, error, ended };
        },
      };
    },
  };
}
