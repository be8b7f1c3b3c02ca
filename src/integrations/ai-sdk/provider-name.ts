// AI SDK provider ids ("openai.chat", "google.generative-ai", ...) by prefix, to GenAI's names.
const KNOWN: [string, string][] = [
  ["google.vertex", "gcp.vertex_ai"],
  ["google-vertex", "gcp.vertex_ai"],
  ["google", "gcp.gemini"],
  ["amazon-bedrock", "aws.bedrock"],
  ["bedrock", "aws.bedrock"],
  ["azure", "azure.ai.openai"],
  ["mistral", "mistral_ai"],
  ["xai", "x_ai"],
  ["openai", "openai"],
  ["anthropic", "anthropic"],
  ["cohere", "cohere"],
  ["groq", "groq"],
  ["deepseek", "deepseek"],
  ["perplexity", "perplexity"],
];

/**
 * Maps an AI SDK provider id to the OpenTelemetry GenAI `gen_ai.provider.name`; an unknown id
 * keeps its first segment ("my-llm.chat" → "my-llm").
 *
 * @param provider - the model's `provider`, e.g. "openai.chat"
 * @returns the GenAI provider name
 * @example
 * genAIProviderName("google.generative-ai") // "gcp.gemini"
 */
export function genAIProviderName(provider: string | undefined): string {
  const id = (provider ?? "").toLowerCase();
  for (const [prefix, name] of KNOWN) if (id === prefix || id.startsWith(`${prefix}.`) || id.startsWith(`${prefix}-`)) return name;
  return id.split(".")[0] || "unknown";
}
