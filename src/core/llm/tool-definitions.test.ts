import { describe, expect, it } from "vitest";
import { toolDefinitions } from "./tool-definitions.js";

const schema = { type: "object", properties: { city: { type: "string" } } };

describe("toolDefinitions", () => {
  it("brings each API's tool definitions to GenAI's { type, name, description, parameters }", () => {
    expect(
      toolDefinitions([
        { type: "function", function: { name: "openai_chat", description: "d1", parameters: schema, strict: true } },
        { type: "function", name: "openai_responses", description: "d2", parameters: schema, strict: false },
        { name: "anthropic", description: "d3", input_schema: schema },
        { type: "function", name: "ai_sdk", description: "d4", inputSchema: schema },
        { functionDeclarations: [{ name: "gemini_a", description: "d5", parameters: schema }, { name: "gemini_b", parametersJsonSchema: schema }] },
        { function_declarations: [{ name: "gemini_snake", parameters_json_schema: schema }] },
      ]),
    ).toEqual([
      { type: "function", name: "openai_chat", description: "d1", parameters: schema },
      { type: "function", name: "openai_responses", description: "d2", parameters: schema },
      { type: "function", name: "anthropic", description: "d3", parameters: schema },
      { type: "function", name: "ai_sdk", description: "d4", parameters: schema },
      { type: "function", name: "gemini_a", description: "d5", parameters: schema },
      { type: "function", name: "gemini_b", parameters: schema },
      { type: "function", name: "gemini_snake", parameters: schema },
    ]);
  });

  it("names built-in tools by their type, and never throws on odd entries", () => {
    expect(toolDefinitions([{ type: "web_search_preview" }, { type: "custom", name: "sql", description: "Runs SQL", format: { type: "text" } }, { type: "web_search_20250305", name: "web_search", max_uses: 3 }, { googleSearch: {} }, null, "x"])).toEqual([
      { type: "web_search_preview", name: "web_search_preview" },
      { type: "custom", name: "sql", description: "Runs SQL" },
      { type: "web_search_20250305", name: "web_search" },
      { type: "googleSearch", name: "googleSearch" },
      { type: "unknown", name: "unknown" },
      { type: "unknown", name: "unknown" },
    ]);
  });
});
