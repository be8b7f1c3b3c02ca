import type { ExportBatch, ReadableSpan } from "../../src/index.js";
import type * as node from "../../src/runtimes/node/index.js";
import { seededRandom } from "./seeded-random.js";

/** What randomBatch records with: the SDK of the runtime under test (its module as imported). */
export type BatchSdk = Pick<typeof node, "createMemoryExporter" | "extract" | "flush" | "init" | "span" | "startSpan">;

const STRINGS = ["", "a", "gpt-4o", "openai", "x".repeat(64), "y".repeat(65), "z".repeat(300), "héllo", "✓ done", "🚀", "a\u007fb", "\u007f".repeat(9), 'say "hi"', "back\\slash", "line\nbreak\ttab", "\u0000\u001f", "lone \ud800", "\udc00 tail", "pair 𝄞", "ünï ✓ 🚀 \"q\" \\", "é".repeat(70)];
// The last two are too long for the encoder's key cache (a JSON literal over 130 characters).
const KEYS = ["gen_ai.system", "gen_ai.request.model", "k", "key with \"quote\"", "ключ", "a\u007f", "tool.name", "n", "ratio", "ok", `long "key" \u0001 ${"é".repeat(60)}${"x".repeat(80)}`, "y".repeat(129)];

function value(rand: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  switch (Math.floor(rand() * 11)) {
    case 0:
    case 1:
    case 2:
      return pick(STRINGS);
    case 3:
      return pick([0, -0, 1, 9, 10, 99, 100, 12345, -7, -100, 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_000]);
    case 4:
      return pick([0.5, -1.25, 1e21, 1e-7, 2 ** 53, 123.456, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, Number.NaN]);
    case 5:
      return rand() < 0.5;
    case 6:
      return pick([12n, -(2n ** 63n), 2n ** 63n, 2n ** 64n]);
    case 7:
      return pick([["a", "é", "🚀"], [1, 2, 3], [1, 2.5, null], [true, false], [], ["q\"", null]]);
    case 8:
      return { nested: pick(STRINGS) };
    default:
      return pick(STRINGS.slice(0, 5));
  }
}

/**
 * Records a random batch (seeded, so a failure names a reproducible case) through the SDK as an
 * application would: 25 root spans of every kind with up to 30 attributes of every type from a
 * pool of keys that repeat (some too long for the encoders' caches, some non-ASCII), events,
 * statuses, children, remote parents with trace state, and links, under limits that drop some.
 * Leaves the SDK running; the caller shuts it down.
 *
 * @param sdk - the runtime's SDK module
 * @param seed - the case
 * @returns every span exported, in one batch
 * @example
 * const batch = await randomBatch(await import("spanwise/node"), 7);
 */
export async function randomBatch(sdk: BatchSdk, seed: number): Promise<ExportBatch> {
  const { createMemoryExporter, extract, flush, init, span, startSpan } = sdk;
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const memory = createMemoryExporter();
  init({ serviceName: pick(["svc", "sérvice ✓", 'q"uote']), exporters: [memory], flushOnExit: false, maxAttributes: 20, maxEvents: 3, maxLinks: 2, resourceAttributes: { "deployment.environment": pick(STRINGS) } });
  const attributes = (s: { setAttribute(k: string, v: unknown): unknown }) => {
    // Up to 30 keys, past the limit of 20 and the encoder's 16 cached key positions (a span's
    // attributes become an object when the limit is reached: lists hold up to 32 pairs).
    const n = Math.floor(rand() * (rand() < 0.8 ? 9 : 30));
    for (let i = 0; i < n; i++) s.setAttribute(rand() < 0.5 ? pick(KEYS) : `k${Math.floor(rand() * 30)}`, value(rand));
  };
  const body = () => {
    for (let i = 0; i < 25; i++) {
      const parent = rand() < 0.2 ? extract({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: rand() < 0.5 ? "vendor=abc,other=1" : "" }) : undefined;
      span(pick(STRINGS) || "unnamed", { parent, spanKind: pick(["internal", "server", "client", "producer", "consumer"] as const) }, (s) => {
          attributes(s);
          if (rand() < 0.3) s.addEvent(pick(STRINGS) || "event", rand() < 0.5 ? { n: value(rand), [pick(KEYS)]: value(rand) } : undefined);
          if (rand() < 0.1) for (let e = 0; e < 5; e++) s.addEvent("many");
          if (rand() < 0.3) s.setStatus(pick(["ok", "error"] as const), rand() < 0.5 ? pick(STRINGS) : undefined);
          if (rand() < 0.4)
            span("child", (c) => {
              attributes(c);
              // Reading the attributes turns the record's list into an object.
              if (rand() < 0.3 && typeof (c as unknown as ReadableSpan).attributes !== "object") throw new Error("a span's attributes read as no object");
            });
      });
      if (rand() < 0.15) {
        const linked = startSpan("linked", { links: [{ context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1, traceState: rand() < 0.5 ? "a=1" : undefined }, attributes: { why: pick(STRINGS) } }] });
        linked.end();
      }
    }
  };
  body();
  await flush();
  return { resource: memory.batches[0]!.resource, scope: memory.batches[0]!.scope, spans: memory.batches.flatMap((b) => b.spans) };
}
