// Importing this module registers the Lambda runtime: `import "spanwise/lambda"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerRedaction } from "../../core/pipeline/register-redaction.js";
import { registerLambda } from "./runtime.js";

registerLambda();
// No bundle budget here: init({ redact }) works without importing spanwise/redact.
registerRedaction();
