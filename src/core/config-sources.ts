import { type ConfigFile, RESOURCE_OPTIONS, layered } from "./config.js";
import type { ResolvedConfig } from "./resolved-config.js";
import type { SpanwiseOptions } from "./spanwise-options.js";

/** Where one option's effective value came from: `explicit`, `env:NAME`, `file:PATH` or `default`. */
export type ConfigSource = "explicit" | "default" | `env:${string}` | `file:${string}`;

// Merged from every layer rather than replaced by the highest one.
const MERGED = new Set(["headers", "resourceAttributes"]);

/**
 * Says, for every field of a resolved configuration, which layer its value came from. Computed
 * only when asked (by `spanwise doctor`), never by `init()`. Takes the same layers as
 * `resolveConfig`; merged fields (headers, resourceAttributes) list every contributing layer,
 * highest first, joined with " + ".
 *
 * @param resolved - what `resolveConfig` returned for these layers
 * @param explicit - the options given to init(), if any
 * @param env - options read from the environment
 * @param envNames - the variable each environment option came from
 * @param file - the config file layer, if a file was found
 * @returns one source per field of `resolved`
 * @example
 * configSources(resolveConfig(undefined, env, names, file), undefined, env, names, file).endpoint // "env:OTEL_EXPORTER_OTLP_ENDPOINT"
 */
export function configSources(
  resolved: ResolvedConfig,
  explicit: SpanwiseOptions | undefined,
  env: SpanwiseOptions,
  envNames: Readonly<Record<string, string>>,
  file: ConfigFile | undefined,
): Record<keyof ResolvedConfig, string> {
  const layers: [Readonly<Record<string, unknown>>, (key: string) => ConfigSource][] = [
    [(explicit ?? {}) as Readonly<Record<string, unknown>>, () => "explicit"],
    [env as Readonly<Record<string, unknown>>, (key) => `env:${envNames[key] ?? key}`],
    [file?.options ?? {}, () => `file:${file?.path ?? ""}`],
  ];
  const out: Record<string, string> = {};
  for (const key of Object.keys(resolved)) {
    const from = layers.filter(([values]) => values[key] !== undefined).map(([, name]) => name(key));
    out[key] = from.length === 0 ? "default" : MERGED.has(key) ? from.join(" + ") : (from[0] as string);
  }
  // serviceName, serviceVersion, environment: the option or its resource attribute, layer by layer.
  for (const [field, key] of RESOURCE_OPTIONS) {
    let source: string | undefined;
    const value = layered(field, key, layers.map(([values]) => values as SpanwiseOptions), (i, attribute) => {
      const name = (layers[i] as (typeof layers)[number])[1];
      source = !attribute ? name(field) : i === 1 ? name("resourceAttributes") : `${name("resourceAttributes")} (resourceAttributes)`;
    });
    if (value !== undefined && value === resolved[field]) out[field] = source as string;
  }
  return out as Record<keyof ResolvedConfig, string>;
}
