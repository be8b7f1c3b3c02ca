// Importing this module registers the Deno runtime: `import "spanwise/deno"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerDeno } from "./runtime.js";

registerDeno();
