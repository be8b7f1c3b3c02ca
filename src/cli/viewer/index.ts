/**
 * The local trace viewer behind `spanwise dev`: an OTLP/HTTP receiver (JSON and protobuf, gzip)
 * on Node that keeps traces in an append-only JSONL file and shows them in a web UI with live
 * updates. Hono and its Node server are bundled into this entry, so users need no extra package.
 *
 * @module
 */
export { startViewer } from "./start-viewer.js";
export type { Viewer, ViewerOptions } from "./start-viewer.js";
export { devCommand } from "./dev-command.js";
export type { DevCommandIo } from "./dev-command.js";
