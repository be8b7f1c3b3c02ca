import { describe, expect, it } from "vitest";
import { genAIProviderName, knownProviderName, openInferenceNames } from "./provider-name.js";

describe("provider names", () => {
  it("maps AI SDK and LangChain provider ids to GenAI's well-known names", () => {
    const cases: [string, string][] = [
      ["openai.chat", "openai"],
      ["google.generative-ai", "gcp.gemini"],
      ["google.vertex.chat", "gcp.vertex_ai"],
      ["google_genai", "gcp.gemini"],
      ["google_vertexai", "gcp.vertex_ai"],
      ["mistralai", "mistral_ai"],
      ["mistral.chat", "mistral_ai"],
      ["azure_openai", "azure.ai.openai"],
      ["bedrock", "aws.bedrock"],
      ["amazon_bedrock", "aws.bedrock"],
      ["xai", "x_ai"],
      ["gcp.gemini", "gcp.gemini"],
    ];
    for (const [id, name] of cases) expect(genAIProviderName(id), id).toBe(name);
  });

  it("matches a prefix only at a separator, and keeps an unknown id's first segment", () => {
    expect(knownProviderName("openaicompatible")).toBeUndefined();
    expect(knownProviderName("my-llm.chat")).toBeUndefined();
    expect(genAIProviderName("My-LLM.chat")).toBe("my-llm");
    expect(genAIProviderName(undefined)).toBe("unknown");
  });

  it("spells GenAI names as OpenInference's enums do, and others as they are", () => {
    expect(openInferenceNames("gcp.vertex_ai")).toEqual(["google", "vertexai"]);
    expect(openInferenceNames("mistral_ai")).toEqual(["mistralai", "mistralai"]);
    expect(openInferenceNames("openai")).toEqual(["openai", "openai"]);
    expect(openInferenceNames("toString")).toEqual(["toString", "toString"]);
  });
});
