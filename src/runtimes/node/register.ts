// Importing this module registers the Node runtime: `import "spanwise/node"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerLLMFetch } from "../../core/llm/register-llm-fetch.js";
import { registerOptInParts } from "../../core/register-opt-in-parts.js";
import { registerNode } from "./runtime.js";

registerNode();
// Node has no bundle budget: init({ instrument }), redaction and OTLP/JSON work without
// importing spanwise/llm, spanwise/redact or spanwise/otlp-json.
registerLLMFetch();
registerOptInParts();
