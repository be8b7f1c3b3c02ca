import { viewerClient } from "./client.js";
import { clientKit } from "./client-kit.js";
import { renderSpanPanel } from "./span-panel.js";

// The browser script is built from the source text of typed, self-contained functions, so it is
// type-checked with the rest and needs no second bundler step, no file beside the bundle and no
// CDN. `__name` is the helper esbuild inserts when keepNames is on (tsx turns it on).

/** The viewer's browser script, served at `/assets/app.js`. */
export const CLIENT_SCRIPT = `"use strict";
var __name = (fn) => fn;
(${viewerClient.toString()})((${clientKit.toString()})(), ${renderSpanPanel.toString()});
`;
