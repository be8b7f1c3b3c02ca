// Importing this module registers the Bun runtime: `import "spanwise/bun"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerOptInParts } from "../../core/register-opt-in-parts.js";
import { registerBun } from "./runtime.js";

registerBun();
// No bundle budget here: redaction and OTLP/JSON need no import of their own.
registerOptInParts();
