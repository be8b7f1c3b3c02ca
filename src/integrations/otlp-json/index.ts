/**
 * spanwise/otlp-json: the OTLP/JSON encoder behind `protocol: "http/json"` (and
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), for runtimes whose entry leaves it out to keep bundles
 * small: Cloudflare Workers and the bare `spanwise` core (Next.js and Vercel edge). Protobuf, the
 * default, needs nothing. Import it once, before `init()` or `instrument()` runs:
 * `import "spanwise/otlp-json"`. `spanwise/node`, `/deno`, `/bun` and `/lambda` load it already.
 * Without it, http/json for an OTLP endpoint is a configuration error.
 *
 * @module
 */
import { registerOtlpJson } from "../../core/export/register-otlp-json.js";

registerOtlpJson();
