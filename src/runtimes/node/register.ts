// Importing this module registers the Node runtime: `import "spanwise/node"` relies on it, and
// package.json lists the built entry under "sideEffects" so bundlers keep the import.
import { registerNode } from "./runtime.js";

registerNode();
