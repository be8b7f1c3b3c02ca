// Importing this module registers the Node runtime: `import "spanwise/node"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerLLMFetch } from "../../core/llm/register-llm-fetch.js";
import { registerNode } from "./runtime.js";

registerNode();
// Node has no bundle budget: init({ instrument }) works without importing spanwise/llm.
registerLLMFetch();
