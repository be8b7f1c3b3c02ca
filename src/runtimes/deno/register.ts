// Importing this module registers the Deno runtime: `import "spanwise/deno"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerOtlpJson } from "../../core/export/register-otlp-json.js";
import { registerRedaction } from "../../core/pipeline/register-redaction.js";
import { registerDeno } from "./runtime.js";

registerDeno();
// No bundle budget here: init({ redact }) and protocol http/json work without importing
// spanwise/redact or spanwise/otlp-json.
registerRedaction();
registerOtlpJson();
