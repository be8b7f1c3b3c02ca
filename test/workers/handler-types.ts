// Compiled by `npm run typecheck`, never run: handlers typed with richer, workers-types-like
// shapes (property functions, a Request with `cf`, a ctx with more members, typed messages)
// must pass through instrument() and keep their own type.
import { instrument } from "spanwise/workers";

interface RichCtx {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: Record<string, unknown>;
}
interface CfRequest extends Request {
  cf: { colo: string };
}
interface Env {
  KV: { get(key: string): Promise<string | null> };
}
interface ExportedHandler<E> {
  fetch?: (request: CfRequest, env: E, ctx: RichCtx) => Response | Promise<Response>;
  scheduled?: (controller: { cron: string; scheduledTime: number; noRetry(): void }, env: E, ctx: RichCtx) => void | Promise<void>;
  queue?: (batch: { queue: string; messages: readonly { id: string; body: { n: number } }[]; ackAll(): void }, env: E, ctx: RichCtx) => void | Promise<void>;
}

const handler: ExportedHandler<Env> = {
  fetch: async (request, env) => new Response(`${request.cf.colo} ${await env.KV.get("greeting")}`),
  queue: async (batch) => batch.ackAll(),
};

export const traced: ExportedHandler<Env> = instrument(handler, (env: Env) => ({ serviceName: env.KV ? "kv" : "none" }));
