import { Hono } from "hono";
import { TOKEN_COOKIE, checkAccess } from "./check-access.js";
import { describeSpan } from "./describe-span.js";
import { receiveTraces } from "./receive-traces.js";
import type { TraceStore } from "./trace-store.js";
import type { TraceSummary } from "./types.js";
import { CLIENT_SCRIPT } from "./ui/client-script.js";
import { PAGE_HTML } from "./ui/page-html.js";
import { STYLES } from "./ui/styles.js";

/** Options of `createApp`. */
export interface AppOptions {
  store: TraceStore;
  token?: string;
  maxBodyBytes: number;
  /** Spans accepted in one request. */
  maxSpans: number;
  /** Seconds between SSE keep-alive comments. */
  keepAliveSeconds?: number;
}

/** The viewer's Hono app and the means to end its live streams. */
export interface ViewerApp {
  app: Hono;
  /** Ends every open server-sent event stream (before the server closes). */
  closeStreams(): void;
}

const encoder = new TextEncoder();
/** Bytes of events queued for one slow client before its stream is ended. */
const SSE_QUEUE_BYTES = 1 << 20;

/**
 * The viewer's routes: OTLP/HTTP ingest at `/v1/traces`, the JSON API under `/api`, live updates
 * at `/api/events` (server-sent events) and the web UI at `/`.
 *
 * @param options - the store, the token and the body limit
 * @returns the app and a function that ends the live streams
 * @example
 * const { app } = createApp({ store, maxBodyBytes: 8 << 20, maxSpans: 200_000 });
 */
export function createApp(options: AppOptions): ViewerApp {
  const { store, token } = options;
  const streams = new Set<{ send(text: string): void; close(): void }>();
  const app = new Hono();

  app.onError((err) => Response.json({ error: `internal error: ${err.message}` }, { status: 500 }));

  app.use("*", async (c, next) => {
    const access = checkAccess(c.req.raw, token);
    if (!access.ok) {
      if (c.req.path === "/" && access.status === 401) return c.html(unauthorizedPage(access.reason), 401);
      return c.json({ error: access.reason }, access.status);
    }
    // The browser trades ?token= for a cookie, and the token leaves the address bar.
    if (access.viaQuery && c.req.method === "GET" && !c.req.path.startsWith("/api/")) {
      c.header("set-cookie", `${TOKEN_COOKIE}=${encodeURIComponent(token ?? "")}; Path=/; HttpOnly; SameSite=Strict`);
      // `//host` or `/\host` would send the browser (and a Referer) to another site.
      return c.redirect(/^\/(?![/\\])/.test(c.req.path) ? c.req.path : "/", 302);
    }
    await next();
  });

  app.post("/v1/traces", (c) =>
    receiveTraces(c.req.raw, { maxBodyBytes: options.maxBodyBytes, maxSpans: options.maxSpans }, (spans) => {
      const touched = store.add(spans);
      if (touched.length === 0 || streams.size === 0) return;
      const summaries = touched.map((id) => store.summary(id)).filter((s): s is TraceSummary => s !== undefined);
      const text = `event: traces\ndata: ${JSON.stringify({ traces: summaries })}\n\n`;
      for (const s of streams) s.send(text);
    }),
  );

  app.get("/api/traces", (c) => {
    const q = c.req.query();
    const limit = Number(q.limit);
    const result = store.list({
      q: q.q,
      errorsOnly: q.errors === "1" || q.errors === "true",
      session: q.session || undefined,
      user: q.user || undefined,
      model: q.model || undefined,
      limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 200,
    });
    return c.json({ ...result, facets: store.facets() });
  });

  app.get("/api/traces/:id", (c) => {
    const trace = store.get(c.req.param("id").toLowerCase());
    if (trace === undefined) return c.json({ error: `no trace ${c.req.param("id")}` }, 404);
    return c.json({ summary: trace.summary, spans: trace.spans.map(describeSpan) });
  });

  // `viewer` lets another process (the demo) tell a spanwise viewer from another collector on the port.
  app.get("/api/health", (c) => c.json({ ok: true, viewer: "spanwise", ...store.counts }));

  app.get("/api/events", (c) => {
    let entry: { send(text: string): void; close(): void } | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const end = (): void => {
          clearInterval(timer);
          if (entry) streams.delete(entry);
        };
        entry = {
          send(text) {
            // A client that stopped reading (a sleeping laptop, a stalled proxy) would make us
            // queue every event for it: end its stream; EventSource reconnects after `retry`.
            if ((controller.desiredSize ?? 0) <= 0) {
              entry?.close();
              return;
            }
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              end();
            }
          },
          close() {
            end();
            try {
              controller.close();
            } catch {
              // Already closed by the client going away.
            }
          },
        };
        streams.add(entry);
        entry.send(`retry: 2000\nevent: hello\ndata: ${JSON.stringify(store.counts)}\n\n`);
        timer = setInterval(() => entry?.send(": keep-alive\n\n"), (options.keepAliveSeconds ?? 15) * 1000);
        timer.unref?.();
        c.req.raw.signal.addEventListener("abort", end);
      },
      cancel() {
        clearInterval(timer);
        if (entry) streams.delete(entry);
      },
    }, { highWaterMark: SSE_QUEUE_BYTES, size: (chunk) => chunk.byteLength });
    return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } });
  });

  app.get("/", (c) => {
    // Everything the page loads comes from here; traces hold text that must never run as code.
    c.header("content-security-policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    return c.html(PAGE_HTML);
  });
  // Browsers ask for it on every page; a 404 would be a console error each time. 204: no icon.
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.get("/assets/app.js", (c) => c.body(CLIENT_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/assets/app.css", (c) => c.body(STYLES, 200, { "content-type": "text/css; charset=utf-8" }));
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));

  return {
    app,
    closeStreams() {
      for (const s of [...streams]) s.close();
    },
  };
}

function unauthorizedPage(reason: string): string {
  return `<!doctype html><meta charset="utf-8"><title>spanwise · token required</title><body style="font-family:system-ui;margin:3rem"><h1>Token required</h1><p>${reason.replace(/</g, "&lt;")}</p></body>`;
}
