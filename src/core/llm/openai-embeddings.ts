import { type ProviderAdapter, num, obj, str, strings } from "./provider-adapter.js";

/** OpenAI embeddings (`/embeddings`), and every host that speaks it. */
export function openaiEmbeddings(provider: string): ProviderAdapter {
  return {
    provider,
    parseRequest(body) {
      return { provider, operation: "embeddings", model: str(body.model), dimensions: num(body.dimensions), encodingFormats: strings(body.encoding_format), raw: body.input };
    },
    parseResponse(b) {
      const body = obj(b);
      const usage = obj(body.usage);
      const data = Array.isArray(body.data) ? body.data : [];
      return { model: str(body.model), finishReasons: [], usage: { inputTokens: num(usage.prompt_tokens), totalTokens: num(usage.total_tokens) }, embeddings: data.length };
    },
    stream() {
      return { event: () => ({ content: false, drop: false }), result: () => ({ finishReasons: [], usage: {} }) };
    },
  };
}
