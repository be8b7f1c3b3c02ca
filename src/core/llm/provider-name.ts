// Provider ids as the AI SDK ("openai.chat", "google.generative-ai") and LangChain ("google_genai",
// "mistralai") spell them, by prefix, to the OpenTelemetry GenAI well-known names.
const KNOWN: [string, string][] = [
  ["google.vertex", "gcp.vertex_ai"],
  ["google-vertex", "gcp.vertex_ai"],
  ["google_vertexai", "gcp.vertex_ai"],
  ["google_anthropic_vertex", "gcp.vertex_ai"],
  ["google", "gcp.gemini"],
  ["amazon-bedrock", "aws.bedrock"],
  ["amazon_bedrock", "aws.bedrock"],
  ["bedrock", "aws.bedrock"],
  ["azure", "azure.ai.openai"],
  ["mistralai", "mistral_ai"],
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
 * Maps an AI SDK or LangChain provider id to the OpenTelemetry GenAI `gen_ai.provider.name`; an
 * unknown id keeps its first segment ("my-llm.chat" → "my-llm"), and a GenAI name stays itself.
 *
 * @param provider - the model's provider id, e.g. "openai.chat" or "google_genai"
 * @returns the GenAI provider name
 * @example
 * genAIProviderName("google.generative-ai") // "gcp.gemini"
 * genAIProviderName("google_genai") // "gcp.gemini"
 */
export function genAIProviderName(provider: string | undefined): string {
  const id = (provider ?? "").toLowerCase();
  return knownProviderName(id) ?? (id.split(".")[0] || "unknown");
}

/**
 * The GenAI well-known name of a provider id, or undefined for one it does not know.
 *
 * @example
 * knownProviderName("mistralai") // "mistral_ai"
 */
export function knownProviderName(provider: string): string | undefined {
  const id = provider.toLowerCase();
  if (Object.hasOwn(OPENINFERENCE, id)) return id;
  for (const [prefix, name] of KNOWN) if (id === prefix || (id.startsWith(prefix) && /^[.\-_]/.test(id.slice(prefix.length)))) return name;
  return undefined;
}

// GenAI names whose OpenInference `llm.provider` (the cloud or vendor) and `llm.system` (the AI
// product, where its enum names one) are spelt otherwise; for the rest both are the GenAI name.
const OPENINFERENCE: Record<string, readonly [provider: string, system: string]> = {
  "gcp.gemini": ["google", "vertexai"],
  "gcp.vertex_ai": ["google", "vertexai"],
  "gcp.gen_ai": ["google", "vertexai"],
  "aws.bedrock": ["aws", "amazon"],
  "azure.ai.openai": ["azure", "openai"],
  "azure.ai.inference": ["azure", "azure"],
  "mistral_ai": ["mistralai", "mistralai"],
  "x_ai": ["xai", "xai"],
};

/**
 * The OpenInference `llm.provider` and `llm.system` for a GenAI provider name: Phoenix's enums
 * spell the clouds ("google", "aws", "azure"), some vendors ("mistralai", "xai") and products
 * ("vertexai") their own way.
 *
 * @param genai - a `gen_ai.provider.name`
 * @returns `[llm.provider, llm.system]`
 * @example
 * openInferenceNames("gcp.vertex_ai") // ["google", "vertexai"]
 */
export function openInferenceNames(genai: string): readonly [provider: string, system: string] {
  return Object.hasOwn(OPENINFERENCE, genai) ? (OPENINFERENCE[genai] as readonly [string, string]) : [genai, genai];
}
