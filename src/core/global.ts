import type { Attributes } from "./attributes.js";
import type { ConfigFile } from "./config.js";
import type { ContextStorage } from "./context.js";
import type { EnvRecord } from "./env.js";
import type { FlushHook } from "./flush-hooks.js";
import type { LLMClaims } from "./llm/claimed-calls.js";
import type { LLMInstrumentation } from "./llm/fetch-providers.js";
import type { encodeOtlpJsonBytes } from "./export/otlp-json.js";
import type { createSpanRedactor } from "./pipeline/redact-spans.js";
import type { resolveRedact } from "./pipeline/resolve-redact.js";
import type { wordCut } from "./pipeline/word-cut.js";
import type { SpanRecord } from "./span.js";
import type { Tracer } from "./tracer.js";
import type { Counters } from "./counters.js";

/** What a runtime (node, workers, lambda, deno, bun) plugs into the core. */
export interface RuntimeHooks {
  readonly name: string;
  /** `telemetry.sdk.language` for the resource. */
  readonly language: string;
  createStorage?(): ContextStorage | undefined;
  readEnv?(): EnvRecord | undefined;
  /** The `spanwise.config.json` that applies, where the runtime has a file system. */
  readConfigFile?(): ConfigFile | undefined;
  resource?(): Attributes;
  /** The service name where neither an option, a variable nor a `service.name` resource attribute gives one. */
  serviceName?(): string | undefined;
  /** Gzips an export's body, where the runtime has a faster way than CompressionStream. */
  gzip?(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * True for a Promise subclass that does its work only when awaited (Bun's `$` and `sql`):
   * spanwise leaves it alone, as it does a lazy thenable.
   */
  isLazy?(value: Promise<unknown>): boolean;
  /**
   * Why the runtime would not let a request reach `endpoint` without asking (Deno's net
   * permission), or undefined when it would: the export then fails at once instead of prompting.
   */
  refuseFetch?(endpoint: string): string | undefined;
  /** Called once the tracer is live; the returned function undoes what it set up. */
  onInit?(tracer: Tracer): (() => void) | undefined;
}

/** All per-isolate state, in one place shared by every copy of the package. */
export interface SpanwiseGlobal {
  readonly version: string;
  tracer: Tracer | undefined;
  runtime: RuntimeHooks | undefined;
  /** Counters of the last tracer, so stats() still answers after shutdown. */
  lastCounters: Counters | undefined;
  /**
   * Installs fetch-level LLM tracing for `init({ instrument })`. Set by importing `spanwise/llm`
   * (and `spanwise/node`), so a Worker that does not use it never bundles the provider parsers.
   */
  llmFetch?: ((list: readonly LLMInstrumentation[]) => () => void) | undefined;
  /**
   * The `redact` option's code: its validation and the pipeline stage. Set by importing
   * `spanwise/redact` (and by `spanwise/node`, `/deno`, `/bun` and `/lambda`), so a Worker that
   * does not redact never bundles the patterns.
   */
  redaction?: { readonly resolve: typeof resolveRedact; readonly create: typeof createSpanRedactor; readonly wordCut: typeof wordCut } | undefined;
  /**
   * The OTLP/JSON encoder for `protocol: "http/json"`. Set by importing `spanwise/otlp-json` (and
   * by the same runtime entries as `redaction`): protobuf is the default, so a Worker that keeps
   * it never bundles the JSON encoder.
   */
  otlpJson?: typeof encodeOtlpJsonBytes | undefined;
  /** Hooks run before each flush (see `onFlush`). */
  flushHooks?: Set<FlushHook> | undefined;
  /** When `runFlushHooksIfDue` last ran the flush hooks (epoch ms). */
  lastSweep?: number | undefined;
  /** LLM calls a framework integration records itself (see `claimLLMCall`). */
  llmClaims?: LLMClaims | undefined;
  /**
   * The parent for a span started without one, where an integration knows better than the
   * current span (code inside a LangChain run); undefined keeps the current span.
   */
  parentHint?: ((current: SpanRecord | undefined) => SpanRecord | undefined) | undefined;
}

/** The package version, replaced at build time. */
export const VERSION: string = typeof __SPANWISE_VERSION__ === "string" ? __SPANWISE_VERSION__ : "0.0.0-dev";
declare const __SPANWISE_VERSION__: string | undefined;

const KEY = Symbol.for("spanwise.v1");

function slot(): SpanwiseGlobal {
  const g = globalThis as unknown as Record<symbol, SpanwiseGlobal | undefined>;
  let state = g[KEY];
  if (state === undefined) {
    state = { version: VERSION, tracer: undefined, runtime: undefined, lastCounters: undefined };
    g[KEY] = state;
  }
  return state;
}

/** The shared state; read `G.tracer` on every call, it changes with init and shutdown. */
export const G: SpanwiseGlobal = slot();

/**
 * Registers the runtime spanwise runs in. The first registration wins; a second returns false.
 *
 * @example
 * registerRuntime({ name: "node", language: "nodejs", createStorage: () => alsStorage() })
 */
export function registerRuntime(hooks: RuntimeHooks): boolean {
  if (G.runtime !== undefined) return G.runtime.name === hooks.name;
  G.runtime = hooks;
  return true;
}
