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
    // Gemini's REST API takes its proto field names in either case.
    const declarations = t.functionDeclarations ?? t.function_declarations;
    if (Array.isArray(declarations)) {
      for (const d of declarations) out.push(fn(obj(d), obj(d).parameters ?? obj(d).parametersJsonSchema ?? obj(d).parameters_json_schema));
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
    const d: ToolDefinition = { type, name: str(t.name) ?? type };
    if (typeof t.description === "string") d.description = t.description;
    out.push(d);
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
