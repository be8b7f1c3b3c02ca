import { createConsoleExporter } from "./export/console.js";
import { otlpHttpExporter } from "./export/otlp-http.js";
import type { SpanExporter } from "./export/types.js";
import type { ResolvedConfig } from "./resolved-config.js";

/** The exporters the options name: OTLP when an endpoint is set, the console when nothing else is. */
export function buildExporters(config: ResolvedConfig): SpanExporter[] {
  const otlp = (): SpanExporter | undefined =>
    config.endpoint === undefined
      ? undefined
      : otlpHttpExporter({
          endpoint: config.endpoint,
          headers: config.headers,
          apiKey: config.apiKey,
          compression: config.compression,
          protocol: config.protocol,
          timeoutMs: config.exportTimeoutMs,
          fetch: config.fetch,
        });
  const list: SpanExporter[] = [];
  for (const e of config.exporters ?? []) {
    const exporter = e === "console" ? createConsoleExporter() : e === "otlp" ? otlp() : e;
    if (exporter && !list.includes(exporter)) list.push(exporter);
  }
  if (config.endpoint !== undefined && !list.some((e) => e.name === "otlp-http")) list.push(otlp() as SpanExporter);
  if (list.length === 0) list.push(createConsoleExporter());
  return list;
}
