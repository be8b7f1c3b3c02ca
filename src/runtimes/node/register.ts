// Importing this module registers the Node runtime: `import "spanwise/node"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerLLMFetch } from "../../core/llm/register-llm-fetch.js";
import { registerOtlpJson } from "../../core/export/register-otlp-json.js";
import { registerRedaction } from "../../core/pipeline/register-redaction.js";
import { registerNode } from "./runtime.js";

registerNode();
// Node has no bundle budget: init({ instrument }) works without importing spanwise/llm.
registerLLMFetch();
// No bundle budget here: init({ redact }) and protocol http/json work without importing
// spanwise/redact or spanwise/otlp-json.
registerRedaction();
registerOtlpJson();
