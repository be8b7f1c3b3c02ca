import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { ConfigError } from "../../core/errors.js";
import { createApp } from "./create-app.js";
import { lockDataDir } from "./lock-data-dir.js";
import { createTraceStore } from "./trace-store.js";

/** Options of `startViewer`. */
export interface ViewerOptions {
  /** Default 4318, the OTLP/HTTP port, so OpenTelemetry SDKs find it without configuration. 0 picks a free port. */
  port?: number;
  /** Default "127.0.0.1". Any other address requires `token`. */
  host?: string;
  /** Folder of the JSONL store. Default ".spanwise". */
  dataDir?: string;
  /** When set, the UI and the API require it (Bearer header, `?token=` then a cookie). */
  token?: string;
  /** Size at which `traces.jsonl` rotates to `traces.1.jsonl`. Default 16 MiB. */
  maxFileBytes?: number;
  /** Largest OTLP request accepted, before and after gzip; it may decode into at most one element (span, event, link, attribute) per 8 bytes. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Traces kept in memory. Default 2000. */
  maxTraces?: number;
  /** Spans kept in memory, and accepted in one request. Default 200 000. */
  maxSpans?: number;
  /** Bytes of span JSON kept in memory, oldest traces dropped first. Default 2 × maxFileBytes: what a restart reloads from the two files. */
  maxMemoryBytes?: number;
}

/** A running viewer. */
export interface Viewer {
  /** The UI's address, e.g. `http://127.0.0.1:4318/`; OTLP goes to `${url}v1/traces`. */
  url: string;
  port: number;
  /** Stops accepting requests, ends live streams and closes the server. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Starts the local trace viewer: an OTLP/HTTP receiver (JSON and protobuf, gzip) that stores
 * traces in an append-only JSONL file and shows them in a web UI with live updates.
 *
 * @param options - port, host, data folder, token and limits
 * @returns the URL, the port and `close()`
 * @throws ConfigError when `host` is not the loopback and no `token` is given
 * @throws DataDirInUseError when another running viewer uses `dataDir`
 * @example
 * const viewer = await startViewer({ port: 4318, dataDir: ".spanwise" });
 * console.log(`open ${viewer.url}`);
 */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token === "" ? undefined : options.token;
  if (!LOOPBACK.has(host) && token === undefined) {
    throw new ConfigError("host", host, "127.0.0.1 or localhost, unless a token is set (--token): traces hold prompts and user data, so a viewer reachable from elsewhere must require one", "startViewer()");
  }
  const port = options.port ?? 4318;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError("port", port, "an integer from 0 to 65535", "startViewer()");
  const positive = (name: keyof ViewerOptions, fallback: number): number => {
    const v = options[name] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new ConfigError(name, v, "a positive integer", "startViewer()");
    return v;
  };
  const maxSpans = positive("maxSpans", 200_000);
  const maxFileBytes = positive("maxFileBytes", 16 * 1024 * 1024);
  const maxTraces = positive("maxTraces", 2000);
  const maxBodyBytes = positive("maxBodyBytes", 8 * 1024 * 1024);
  const maxMemoryBytes = positive("maxMemoryBytes", 2 * maxFileBytes);
  const dataDir = options.dataDir ?? ".spanwise";
  const release = lockDataDir(dataDir);
  try {
    return await serve({ host, port, token, dataDir, maxSpans, maxFileBytes, maxTraces, maxBodyBytes, maxMemoryBytes }, release);
  } catch (err) {
    release();
    throw err;
  }
}

interface Settings {
  host: string;
  port: number;
  token: string | undefined;
  dataDir: string;
  maxSpans: number;
  maxFileBytes: number;
  maxTraces: number;
  maxBodyBytes: number;
  maxMemoryBytes: number;
}

async function serve(settings: Settings, release: () => void): Promise<Viewer> {
  const { host, port, token, maxSpans, maxFileBytes, maxBodyBytes } = settings;
  const store = createTraceStore({
    dataDir: settings.dataDir,
    maxFileBytes,
    maxTraces: settings.maxTraces,
    maxSpans,
    maxMemoryBytes: settings.maxMemoryBytes,
  });
  const { app, closeStreams } = createApp({ store, token, maxBodyBytes, maxSpans });
  // overrideGlobalObjects: false leaves the process's Request and Response alone; the demo runs
  // the traced app in the same process.
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host.replace(/^\[|\]$/g, ""), () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown === "0.0.0.0" ? "127.0.0.1" : shown}:${bound}/`,
    port: bound,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closeStreams();
        server.close(() => {
          release();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
