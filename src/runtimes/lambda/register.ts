// Importing this module registers the Lambda runtime: `import "spanwise/lambda"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerLambda } from "./runtime.js";

registerLambda();
