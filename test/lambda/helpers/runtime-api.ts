import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The order in which things happened across the servers a test owns (the Runtime API and the
 * OTLP receiver run in the test process, so one counter orders them exactly).
 */
export class Timeline {
  readonly entries: { what: string; id?: string }[] = [];

  /** Records an event and returns its position. */
  mark(what: string, id?: string): number {
    this.entries.push({ what, id, t: Date.now() } as never);
    return this.entries.length - 1;
  }
}

/** What the runtime answered for one invocation. */
export interface Answer {
  readonly id: string;
  /** "response" (buffered or streamed), "error", or "timeout" when the deadline passed first. */
  readonly kind: "response" | "error" | "timeout";
  /** The body as sent, for a stream every chunk in order. */
  readonly body: Buffer;
  readonly headers: IncomingMessage["headers"];
  readonly trailers: Record<string, string | undefined>;
  /** Timeline position when the runtime started posting the answer. */
  readonly postedAt: number;
  /** Wall-clock ms from handing out the invocation to the end of the answer. */
  readonly durationMs: number;
}

/** Options of one invocation. */
export interface InvokeOptions {
  /** The function's timeout: the deadline is this long after the runtime receives the event. Default 30 s. */
  timeoutMs?: number;
  /** Sent as Lambda-Runtime-Trace-Id, which the runtime puts into _X_AMZN_TRACE_ID. */
  xrayTraceId?: string;
  invokedFunctionArn?: string;
}

interface Pending {
  readonly id: string;
  readonly event: unknown;
  readonly options: InvokeOptions;
  resolve(answer: Answer): void;
  startedAt?: number;
  timer?: ReturnType<typeof setTimeout>;
  done: boolean;
}

/**
 * A Lambda Runtime API (the 2018-06-01 interface a runtime interface client polls) on
 * 127.0.0.1: hands out queued events, records responses, streamed responses, errors and init
 * errors, and reports a timeout when the deadline passes without an answer.
 */
export class RuntimeApi {
  readonly timeline: Timeline;
  readonly initErrors: unknown[] = [];
  /** The invocation ids in the order the runtime asked for them. */
  readonly handedOut: string[] = [];
  private readonly queue: Pending[] = [];
  private readonly waiting: ServerResponse[] = [];
  private readonly byId = new Map<string, Pending>();
  private polls = 0;
  private readonly pollWaiters: { n: number; resolve: () => void }[] = [];
  private server: Server | undefined;
  private port = 0;

  constructor(timeline: Timeline) {
    this.timeline = timeline;
  }

  /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.route(req, res));
    // A runtime long-polls /next; nothing here may time it out.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Queues an event; resolves with the runtime's answer or a timeout at the deadline. */
  invoke(event: unknown, options: InvokeOptions = {}): Promise<Answer> {
    return new Promise((resolve) => {
      const pending: Pending = { id: randomUUID(), event, options, resolve, done: false };
      this.byId.set(pending.id, pending);
      const res = this.waiting.shift();
      if (res) this.handOut(pending, res);
      else this.queue.push(pending);
    });
  }

  /** Resolves once the runtime has asked for the next event `n` times in all. */
  waitForPolls(n: number): Promise<void> {
    return this.polls >= n ? Promise.resolve() : new Promise((resolve) => this.pollWaiters.push({ n, resolve }));
  }

  async close(): Promise<void> {
    for (const res of this.waiting.splice(0)) res.destroy();
    for (const p of this.byId.values()) clearTimeout(p.timer);
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "";
    if (req.method === "GET" && url === "/2018-06-01/runtime/invocation/next") {
      this.timeline.mark("runtime:poll");
      this.polls++;
      for (const w of this.pollWaiters.filter((w) => this.polls >= w.n)) {
        this.pollWaiters.splice(this.pollWaiters.indexOf(w), 1);
        w.resolve();
      }
      const pending = this.queue.shift();
      if (pending) this.handOut(pending, res);
      else this.waiting.push(res);
      return;
    }
    const answer = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === "POST" && answer) {
      const id = decodeURIComponent(answer[1] as string);
      const postedAt = this.timeline.mark(`runtime:${answer[2]}`, id);
      this.readBody(req, (body) => {
        res.writeHead(202, { "content-type": "application/json" }).end('{"status":"OK"}');
        this.settle(id, answer[2] === "error" ? "error" : "response", body, req, postedAt);
      });
      return;
    }
    if (req.method === "POST" && url === "/2018-06-01/runtime/init/error") {
      this.readBody(req, (body) => {
        this.initErrors.push(safeJson(body.toString("utf8")));
        res.writeHead(202).end('{"status":"OK"}');
      });
      return;
    }
    res.writeHead(404).end();
  }

  private handOut(p: Pending, res: ServerResponse): void {
    const timeoutMs = p.options.timeoutMs ?? 30_000;
    p.startedAt = Date.now();
    const deadline = p.startedAt + timeoutMs;
    this.handedOut.push(p.id);
    this.timeline.mark("runtime:next", p.id);
    res.writeHead(200, {
      "content-type": "application/json",
      "lambda-runtime-aws-request-id": p.id,
      "lambda-runtime-deadline-ms": String(deadline),
      "lambda-runtime-invoked-function-arn": p.options.invokedFunctionArn ?? "arn:aws:lambda:eu-west-1:123456789012:function:spanwise-test",
      ...(p.options.xrayTraceId ? { "lambda-runtime-trace-id": p.options.xrayTraceId } : {}),
    });
    res.end(JSON.stringify(p.event));
    p.timer = setTimeout(() => {
      this.timeline.mark("runtime:timeout", p.id);
      this.finish(p, { id: p.id, kind: "timeout", body: Buffer.alloc(0), headers: {}, trailers: {}, postedAt: -1, durationMs: Date.now() - (p.startedAt ?? 0) });
    }, timeoutMs);
  }

  private settle(id: string, kind: "response" | "error", body: Buffer, req: IncomingMessage, postedAt: number): void {
    const p = this.byId.get(id);
    if (!p) return;
    const trailers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.trailers)) trailers[k.toLowerCase()] = v;
    // A streamed response that failed carries its error in trailers instead of a separate POST.
    const streamedError = trailers["lambda-runtime-function-error-type"] !== undefined;
    this.finish(p, { id, kind: streamedError ? "error" : kind, body, headers: req.headers, trailers, postedAt, durationMs: Date.now() - (p.startedAt ?? 0) });
  }

  private finish(p: Pending, answer: Answer): void {
    if (p.done) return;
    p.done = true;
    clearTimeout(p.timer);
    p.resolve(answer);
  }

  private readBody(req: IncomingMessage, then: (body: Buffer) => void): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => then(Buffer.concat(chunks)));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
