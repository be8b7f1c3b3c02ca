import type { ConfigFile } from "./config.js";
import { ConfigError } from "./errors.js";
import { jsonErrorOffset } from "./json-error-offset.js";
import { stripJsonComments } from "./strip-json-comments.js";

/** The name runtimes look for, from the working directory upward. */
export const CONFIG_FILE_NAME = "spanwise.config.json";

// Options that only code can give: functions, objects with methods, RegExps. JSON cannot hold
// them, so the file refuses them by name instead of failing later with a confusing type error.
const CODE_ONLY = new Set(["fetch", "processors", "keepTrace", "logger", "contextStorage"]);

/**
 * Parses the text of a `spanwise.config.json` (JSON with optional comments and trailing commas)
 * into a config file layer. A `"$schema"` key is allowed and ignored. Throws a ConfigError naming
 * the file for bad JSON, a non-object, or an option only `init()` can take.
 *
 * @param text - the file's contents
 * @param path - the file's path, named in errors and by `spanwise doctor`
 * @returns the path and the options, still to be validated by `resolveConfig`
 * @example
 * parseConfigFile('{ "serviceName": "api" // mine\n}', "/app/spanwise.config.json").options // { serviceName: "api" }
 */
export function parseConfigFile(text: string, path: string): ConfigFile {
  const body = stripJsonComments(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    const error = new ConfigError("contents", where(body, err), "JSON (comments and trailing commas allowed)", path, { cause: err });
    error.message = `spanwise: ${path} is not valid JSON: ${String(error.value)} (comments and trailing commas are allowed)`;
    throw error;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError("contents", parsed, 'a JSON object of options, such as { "serviceName": "my-service" }', path);
  }
  const options: Record<string, unknown> = { ...(parsed as Record<string, unknown>) };
  delete options.$schema;
  for (const [key, value] of Object.entries(options)) {
    if (CODE_ONLY.has(key)) {
      const error = new ConfigError(key, value, "no code", path);
      error.message = `spanwise: ${key} cannot be set in ${path}: it takes code (functions, objects with methods), so pass it to init()`;
      throw error;
    }
  }
  const exporters = options.exporters;
  if (Array.isArray(exporters)) {
    exporters.forEach((e, i) => {
      if (e !== "console" && e !== "otlp") throw new ConfigError(`exporters[${i}]`, e, '"console" or "otlp" (pass exporter objects to init())', path);
    });
  }
  return { path, options };
}

/** The parser's complaint, with a line and column in place of a character offset. */
function where(text: string, err: unknown): string {
  // V8 says "... in JSON at position 7" or "Unexpected token '}', "<the whole text>" is not valid JSON";
  // JavaScriptCore (Bun) names no position ("JSON Parse error: Expected '}'"), so it is found here.
  // The position may also follow "after JSON", and newer V8 adds " (line 1 column 8)": all dropped.
  const message = (err instanceof Error ? err.message : String(err)).replace(/, ".*" is not valid JSON$/s, "");
  const at = /^(.*?) (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/s.exec(message);
  const offset = at ? Number(at[2]) : jsonErrorOffset(text);
  if (offset < 0) return message;
  const before = text.slice(0, offset);
  const place = `line ${before.split("\n").length}, column ${before.length - before.lastIndexOf("\n")}`;
  // stripJsonComments leaves an unclosed /* for the parser, which would blame what follows it.
  if (text.startsWith("/*", offset)) return `the /* comment at ${place} is never closed`;
  return `${at ? at[1] : message} at ${place}`;
}
