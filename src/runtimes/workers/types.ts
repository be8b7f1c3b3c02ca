/**
 * The few Cloudflare runtime types spanwise touches, declared locally and minimally so the
 * published declarations never depend on `@cloudflare/workers-types`. Declared as methods, so
 * handlers written against richer types (a Request with `cf`, a fuller ctx) fit them.
 */

/** The `ctx` of a Worker event. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  /** Set by the platform (service bindings' `props`); declared so a Hono app's `fetch` fits `instrument`. */
  readonly props: unknown;
}

/** The controller of a Cron Trigger event. */
export interface ScheduledController {
  readonly cron: string;
  readonly scheduledTime: number;
}

/** A batch of Queue messages. */
export interface MessageBatch {
  readonly queue: string;
  readonly messages: readonly unknown[];
}

/** An incoming e-mail (Email Workers). */
export interface EmailMessage {
  readonly rawSize?: number;
}

/**
 * A module Worker's default export: the handlers spanwise traces. Any other members are kept.
 *
 * @typeParam Env - the Worker's bindings
 */
export interface WorkerHandler<Env = unknown> {
  fetch?(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
  scheduled?(controller: ScheduledController, env: Env, ctx: ExecutionContext): unknown;
  queue?(batch: MessageBatch, env: Env, ctx: ExecutionContext): unknown;
  email?(message: EmailMessage, env: Env, ctx: ExecutionContext): unknown;
  tail?(events: readonly unknown[], env: Env, ctx: ExecutionContext): unknown;
}

/** The `ctx` (`this.ctx`) of a Durable Object, as far as spanwise uses it. */
export interface DurableObjectState {
  readonly id?: { toString(): string; readonly name?: string | undefined };
  waitUntil?(promise: Promise<unknown>): void;
}

/** A Durable Object class: constructed with its state and the Worker's env. */
export type DurableObjectClass = new (...args: never[]) => object;
