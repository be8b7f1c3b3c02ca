// Importing this module registers the Lambda runtime: `import "spanwise/lambda"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerOptInParts } from "../../core/register-opt-in-parts.js";
import { registerLambda } from "./runtime.js";

registerLambda();
// No bundle budget here: redaction and OTLP/JSON need no import of their own.
registerOptInParts();
