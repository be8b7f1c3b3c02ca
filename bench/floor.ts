/**
 * The hot-path row's floor: a bare tracer doing only the work the row asks of any tracer, timed
 * in the same rounds as spanwise and OpenTelemetry. Per span it reads the current span from an
 * AsyncLocalStorage and runs the body inside a new one, draws a random span id, reads the clock
 * at the start and at the end, keeps the name, the parent, the trace (its 128-bit id, drawn by
 * the root) and five attributes, ends the span on return, on throw or when a returned promise
 * settles, and queues it until export. Nothing else: no sampling, counters, limits, kinds,
 * status, scopes, suppression, or streams and generators.
 *
 * It is written the way spanwise's own hot path is, so that the two differ by features, not by
 * technique: ids from spanwise's own pool of random 32-bit words (src/core/ids.ts), the clock
 * read without Node's `globalThis.performance` getter, times in shared Float64Array slabs, an
 * attribute list with room for five pairs, and no closure per span for `AsyncLocalStorage.run`.
 * Each of its parts is work the row requires, so a faster tracer would have to do the same parts
 * in fewer instructions. It is a reference point, not a proof: in the budget row spanwise and the
 * floor land within the run-to-run noise of each other.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomWord } from "../src/core/ids.js";
import type { HotPathCase } from "./hot-path.js";
import { SPANS_PER_TRACE, TRACES_PER_ROUND } from "./workload.js";

/** A trace: its 128-bit id as four random 32-bit words, drawn by its root (never all zero). */
export class FloorTrace {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;

  constructor() {
    let w0: number;
    let w1: number;
    let w2: number;
    let w3: number;
    do {
      w0 = randomWord();
      w1 = randomWord();
      w2 = randomWord();
      w3 = randomWord();
    } while ((w0 | w1 | w2 | w3) === 0);
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }
}

/** One span as the bare tracer keeps it. */
export class FloorSpan {
  /** Name, value, name, value... of the attributes set so far. */
  attributes: unknown[] | undefined = undefined;
  attributeCount = 0;
  readonly trace: FloorTrace;
  /** The span id as two random 32-bit words (never both zero). */
  readonly idHi: number;
  readonly idLo: number;
  /** Start and end times at `ti` and `ti + 1` of `tm`. */
  readonly tm: Float64Array;
  readonly ti: number;
  readonly name: string;
  readonly parent: FloorSpan | undefined;

  constructor(name: string, parent: FloorSpan | undefined) {
    this.name = name;
    this.parent = parent;
    this.trace = parent === undefined ? new FloorTrace() : parent.trace;
    let hi: number;
    let lo: number;
    do {
      hi = randomWord();
      lo = randomWord();
    } while ((hi | lo) === 0);
    this.idHi = hi;
    this.idLo = lo;
    if (slot === SLAB_SIZE) {
      slab = new Float64Array(SLAB_SIZE);
      slot = 0;
    }
    this.tm = slab;
    this.ti = slot;
    slot += 2;
    slab[this.ti] = perf.now();
  }

  get startTime(): number {
    return this.tm[this.ti] as number;
  }

  get endTime(): number {
    return this.tm[this.ti + 1] as number;
  }

  setAttribute(key: string, value: unknown): void {
    const a = (this.attributes ??= new Array(10));
    const i = this.attributeCount * 2;
    a[i] = key;
    a[i + 1] = value;
    this.attributeCount++;
  }

  end(): void {
    this.tm[this.ti + 1] = perf.now();
    queue.push(this);
  }
}

// As spanwise's clock does: `performance` is a getter on globalThis in Node.
const perf = performance;

const SLAB_SIZE = 256;
let slab = new Float64Array(0);
let slot = SLAB_SIZE;
let queue: FloorSpan[] = [];
const als = new AsyncLocalStorage<FloorSpan>();

// Handed to `enter` through the module rather than a closure per span, as spanwise's span() does.
let nextFn: ((span: FloorSpan) => unknown) | undefined;
let nextSpan: FloorSpan | undefined;

function enter(): unknown {
  const fn = nextFn as (span: FloorSpan) => unknown;
  const span = nextSpan as FloorSpan;
  nextFn = nextSpan = undefined;
  return fn(span);
}

/**
 * The bare tracer's `span()`: runs `fn` in a new span that is current inside it, and queues the
 * span when `fn` returns, throws, or its promise settles.
 *
 * @example
 * floorSpan("step", (s) => s.setAttribute("k", 1));
 */
export function floorSpan<T>(name: string, fn: (span: FloorSpan) => T): T {
  const s = new FloorSpan(name, als.getStore());
  let result: T;
  try {
    nextFn = fn;
    nextSpan = s;
    result = als.run(s, enter) as T;
  } catch (err) {
    s.end();
    throw err;
  }
  if (result instanceof Promise) return result.finally(() => s.end()) as T;
  s.end();
  return result;
}

// The workload of workload.ts, in a body of its own (see there why).
function floorTrace(): void {
  floorSpan("agent.run", (parent) => {
    parent.setAttribute("gen_ai.agent.name", "support-bot");
    parent.setAttribute("session.id", "chat-42");
    parent.setAttribute("user.id", "u-1");
    parent.setAttribute("agent.step", 3);
    parent.setAttribute("agent.streaming", false);
    for (let i = 0; i < SPANS_PER_TRACE - 1; i++) {
      floorSpan("tool.search", (child) => {
        child.setAttribute("tool.name", "search");
        child.setAttribute("gen_ai.request.model", "gpt-4o-mini");
        child.setAttribute("gen_ai.usage.input_tokens", 120);
        child.setAttribute("llm.temperature", 0.7);
        child.setAttribute("cache.hit", true);
      });
    }
  });
}

/** The floor as a benchmark case, and what it has queued since the last `settle`. */
export interface FloorCase extends HotPathCase {
  queued(): readonly FloorSpan[];
}

/**
 * The bare tracer running the hot-path workload, from an empty queue; `settle` drops the queue,
 * as an export would.
 *
 * @example
 * const [ours, floor] = await measure([spanwiseHotPath(), floorHotPath()], opts);
 */
export function floorHotPath(): FloorCase {
  queue = [];
  return {
    name: "floor",
    iterations: TRACES_PER_ROUND,
    unitsPerIteration: SPANS_PER_TRACE,
    run(n) {
      for (let i = 0; i < n; i++) floorTrace();
    },
    settle: async () => {
      queue = [];
    },
    close: async () => {
      queue = [];
    },
    queued: () => queue,
  };
}
