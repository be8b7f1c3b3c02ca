// Importing this module registers the Deno runtime: `import "spanwise/deno"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerOptInParts } from "../../core/register-opt-in-parts.js";
import { registerDeno } from "./runtime.js";

registerDeno();
// No bundle budget here: redaction and OTLP/JSON need no import of their own.
registerOptInParts();
