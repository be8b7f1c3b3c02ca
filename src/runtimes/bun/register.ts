// Importing this module registers the Bun runtime: `import "spanwise/bun"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerBun } from "./runtime.js";

registerBun();
