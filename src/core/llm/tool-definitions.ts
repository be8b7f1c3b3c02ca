import { obj, str } from "./provider-adapter.js";

/** One entry of `gen_ai.tool.definitions`, in the shape of GenAI's tool-definitions schema. */
export interface ToolDefinition {
  type: string;
  name: string;
  description?: string | undefined;
  parameters?: unknown;
}

/**
 * Tool definitions as each API spells them, in the one shape the GenAI conventions ask of
 * `gen_ai.tool.definitions` (`{ type, name, description, parameters }`): OpenAI Chat's
 * `{ type: "function", function: {...} }`, Anthropic's `input_schema`, the AI SDK's
 * `inputSchema`, Gemini's `functionDeclarations`, and built-in tools (a web search) by their type.
 *
 * @param tools - the request's `tools`
 * @returns one definition per tool (a Gemini tool entry can declare several)
 * @example
 * toolDefinitions([{ type: "function", function: { name: "get_weather", parameters: {} } }])
 * // [{ type: "function", name: "get_weather", parameters: {} }]
 */
export function toolDefinitions(tools: readonly unknown[]): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const tool of tools) {
    const t = obj(tool);
    if (Array.isArray(t.functionDeclarations)) {
      for (const d of t.functionDeclarations) out.push(fn(obj(d), obj(d).parameters ?? obj(d).parametersJsonSchema));
      continue;
    }
    if (t.function !== undefined) {
      const f = obj(t.function);
      out.push(fn(f, f.parameters));
      continue;
    }
    const parameters = t.input_schema ?? t.inputSchema ?? t.parameters;
    if (parameters !== undefined || (t.type === undefined && str(t.name) !== undefined)) {
      out.push({ ...fn(t, parameters), type: t.type === undefined || t.type === "custom" ? "function" : String(t.type) });
      continue;
    }
    // A built-in tool ({ type: "web_search" }, Gemini's { googleSearch: {} }): its type names it.
    const type = str(t.type) ?? Object.keys(t)[0] ?? "unknown";
    out.push({ type, name: str(t.name) ?? type });
  }
  return out;
}

function fn(f: Record<string, unknown>, parameters: unknown): ToolDefinition {
  const d: ToolDefinition = { type: "function", name: str(f.name) ?? "unknown" };
  const description = str(f.description);
  if (description !== undefined) d.description = description;
  if (parameters !== undefined) d.parameters = parameters;
  return d;
}
