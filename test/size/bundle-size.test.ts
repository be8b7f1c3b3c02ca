import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { bundleWorker } from "../helpers/bundle-worker.js";

// Sizes are deterministic (unlike times), so they are tested here rather than only benchmarked.
// The Worker is bench/fixtures/worker-instrumented.ts: instrument() with OTLP export to an
// endpoint from env, bundled from dist/ (npm test builds first) the way wrangler bundles it.
//
// The budget is 10 KB gzip. What is reached is locked in instead, so the bundle cannot
// grow back unnoticed: the core on the Worker path (tracer, span, pipeline, the protobuf
// encoder, the fetch transport with retries and gzip, env and options handling) is what
// remains, every part of it reachable from options a Worker can pass. Lower this as it shrinks.
// (26,765 B on 2026-11-21: redaction and the OTLP/JSON encoder became imports of their own,
// spanwise/redact and spanwise/otlp-json, 4,089 and 1,227 B less; ~190 B keep a second wrapper
// that asks for redaction from being traced without it. Of what remains, 517 B
// is the attribute list that takes a fifth off the hot path, ~500 B the protobuf encoder's path
// for short and repeated attribute values, which takes about a fifth off its time, ~100 B the
// exporter writing each request into the last one's buffer, which takes up to a tenth off it,
// ~85 B the encoder copying cached keys and entries as 32-bit words, a tenth to a sixth off it,
// ~200 B the trace assembler keeping waiting traces in an array and the queue taking a trace's
// spans as one list, which takes about a seventh off both hot-path rows: 27,069 B then; 27,052 B
// after the final read shared code, and ~80 B the protobuf encoder keeping each length's last
// span name as words, 0.95–0.98 of its time: 27,134 B. Then ~60 B for sending bodies under
// 1 KiB uncompressed, with compressionMinBytes and its ConfigError, which takes 0.2–0.3 ms of
// workerd's CPU off a Worker's request: 27,195 B. Then ~80 B for the protobuf encoder copying
// cached bytes as 64-bit words and writing a span's ids, kind and times with fewer checks for
// room, 0.88 of its time: 27,276 B. Then ~10 B for keeping no key or span name too long to gain
// from the encoder's caches, which bounds them in bytes: 27,287 B. Then ~40 B for copying a value
// cut to its limit into memory of its own, so a queued span does not keep the whole value alive:
// 27,327 B, and ~25 B more for status messages, stack traces and LLM error bodies: 27,352 B. The
// protobuf encoder then dropped a branch no kind reaches: 27,330 B. Then ~10 B for making that
// copy hold under Bun too (a character of the joined string read first): 27,339 B. Then ~55 B
// for a traced fetch keeping the properties of the fetch it replaces: 27,395 B. Then ~3 B for
// resolving a relative fetch URL against location: 27,398 B. Then ~45 B for failing an export at
// once where Deno would prompt for net access: 27,442 B. Then ~135 B for writing a captured
// Headers with its credentials masked, as Bun's toJSON for it would not: 27,579 B. Then ~65 B for
// a User-Agent on exports, and serving requests that carry it with tracing off: 27,646 B. Then
// ~55 B for a lazy thenable in waitUntil running once, sized event streams left untouched and
// every byte view counted: 27,700 B. Then ~40 B for wrappers given one options function
// agreeing: 27,738 B, and 27,733 B once the waitUntil check read its value inside a try. Then
// ~20 B for giving data:, blob: and file: fetches no server.address or server.port: 27,752 B.
// Then ~20 B for checking an `instrument` entry's streamUsage: 27,774 B. Then ~5 B for sending no
// reserved trace flags on and forwarding an extracted context's baggage: 27,781 B. Then ~15 B for a
// span's later metadata update overwriting its earlier one: 27,797 B. Then ~35 B for cutting
// values without splitting a surrogate pair: 27,831 B. Then ~10 B for following a streamed Response
// subclass's body (NextResponse): 27,841 B. Then ~35 B for a followed Response keeping its url,
// redirected and type, and observed generators on the iterator prototypes: 27,878 B. Then ~470 B
// for ignoring invalid OTEL_* variables with a warning, as the OpenTelemetry spec asks, instead
// of failing init(), and for masking API keys and header values in config errors: 28,347 B. Then
// ~25 B for url.query on a Worker's root span: 28,373 B. Then ~45 B for OTEL_EXPORTER_OTLP_PROTOCOL=
// http/json without its encoder sending protobuf with a warning, not failing: 28,419 B. Then
// ~155 B for an invalid per-signal OTEL_* variable giving way to the general one, and a followed
// Response subclass that makes its own body, or a Response's own properties, kept: 28,576 B.
// Then ~12 B for a trace kept by tail sampling exported with the sampled flag: 28,588 B. Then
// ~8 B for checking a pricing entry's cacheWrite1h: 28,596 B. Then ~245 B for an unknown option
// naming the one most likely meant, and ~55 B for refusing a pricing entry's unknown fields:
// 28,900 B. Then ~110 B for following only a streamed Response from observe() (a sized one is
// handed back as it is) and a warning at shutdown about spans never ended: 29,011 B. Then ~180 B
// for config errors that name the wrapper the options were given to and list its own options,
// say what an endpoint, an empty serviceName and a boolean variable should be, and show functions
// in a rejected value: 29,189 B. Then ~30 B for marking media cut short only where a limit cut
// it: 29,221 B. Then ~5 B for showing a RegExp in a rejected value: 29,227 B. Then ~160 B for
// warning about a SPANWISE_* binding spanwise does not read, naming the one meant: 29,386 B.
// Then ~30 B for letting an integration name a span's parent (code inside a LangChain run):
// 29,416 B. Then ~25 B for reading an internal error through describeError, observe keeping a
// function's own properties, constructing with new, and reading its options where a throwing
// getter cannot escape: 29,441 B. Then ~365 B for counting whatever an exporter or processor
// throws, returns or hangs on (a fresh export result, a pipeline failure counted once, processors
// on a copy all settled, a flush kept alive and never waiting on its own export): 29,807 B.
// Then ~30 B for bounding each exporter's shutdown(), tracing calls with new, and reading a
// wrapped function's own properties through to the function: 29,839 B. Then -13 B for one
// timeout helper and one byte-stream check where there were two of each: 29,826 B. Then ~35 B for
// describing a thrown or returned object by its JSON, not "[object Object]": 29,862 B. Then ~35 B
// for asking a stream once whether it is a byte stream (Next.js and Hono asked up to three times): 29,897 B.
// Then ~60 B for keeping one-time warnings (a model without a price) to 100, saying so once: 29,956 B.
// Then ~2 B for shutdown() running the integrations' flush hooks as flush() does: 29,958 B. Then
// ~17 B for showing the endpoint with its query values redacted in export errors: 29,975 B. Then
// ~100 B for the collector's reason for spans it rejected (OTLP partial success) in the warning: 30,077 B.
// Then ~45 B for saying that a Retry-After past exportTimeoutMs is why an export gave up: 30,122 B.
// Then ~40 B for ending a streamed body workerd left unpulled, whose cancel() never came: 30,161 B.
// Then ~55 B for keeping that bound within 2-10 s, the endpoint's key out of Deno's fetch errors,
// and the cap of one-time warnings to models without a price: 30,216 B. Then ~30 B for describing
// a thrown object one level deep, so a nested user record stays out of exception.message: 30,247 B.
// Then ~12 B for a Retry-After note that says "what is left of" the budget, and none for a 0: 30,259 B.
// Then ~3 B for telling the flush hooks that shutdown() is final: 30,262 B. Then ~62 B for naming
// a port the Fetch standard blocks (Node's and Deno's fetch refuse it) instead of asking whether
// the collector runs: 30,324 B. Then ~225 B for keeping JSON cut to maxAttributeValueLength valid
// JSON (its strings cut, not its text), as the GenAI conventions ask of content attributes: 30,548 B.
// Then ~33 B for gen_ai.conversation.id and the retrieval and invoke_workflow operations: 30,581 B.
// Then ~74 B for a first request that compiles ~4 KB less (an env without SPANWISE_*/OTEL_*
// bindings not read, no processors or empty collector answer not walked), 1.0-1.3 ms of
// workerd's CPU less in two paired runs: 30,655 B. Then ~3 B for OpenInference's tool.name: 30,658 B.
// Then ~330 B for finding how much of each string fits by arithmetic on its escapes rather than
// stringifying every string per try (a 200-message chat cut to 16 KB: ~3 ms → ~0.9 ms): 30,991 B.
// Then ~10 B for not retrying a port fetch refuses every time: 31,001 B. Then 1 B for attribute
// lists of up to 32 pairs (objects past 19 keys are V8 dictionaries): 31,002 B. Then ~8 B for
// the dropped.tooManyOpen counter (LangChain runs and AI SDK calls refused over 10,000 open): 31,010 B.
// Then ~131 B for pricing errors that name the field inside the table (pricing.gpt-4o.output): 31,141 B.
// Then -69 B for the iterator prototypes and AsyncFunction made by pure calls a Worker drops, and
// one plain-object check where there were three: 31,072 B. Then ~19 B for pricing errors that
// tell the list form's entries (model, input, output) from the object form's: 31,091 B. Then ~22 B
// for tail sampling reading an LLM span's cost and tokens from its list, not an object: 31,113 B.
// Then ~9 B for one in-place list edit shared by the limits and redaction stages: 31,122 B.
// Then ~163 B for making what a processor writes exportable (a name that is not a string put back,
// object and Date values converted), ~167 B for refusing at init() a header or API key fetch would
// refuse on every export, ~75 B for number, boolean, object and array bindings (wrangler's
// non-string [vars]) read or reported instead of ignored, ~20 B for a handler value that is not a
// Response recorded as an error, ~11 B for a 5xx keeping the error.type already set, and ~20 B of
// gzip's interplay among them: 31,578 B. Then ~132 B for what a review of those fixes found (a Bun
// WebSocket upgrade as a 101, header values checked by a loop that allows a secret file's final
// newline, streams judged by their end marker too, mending span by span into a new object, an
// object salt binding refused): 31,710 B. Then ~14 B for warning about a misspelt binding whose
// value is 0 or false, and showing an object per-signal endpoint binding as its JSON: 31,724 B.
// Then ~35 B for cutting values before a word they would split when redaction (an import of its
// own, which holds the rule) is on: 31,759 B. Then ~43 B for leaving capitals-only, small-letters-only
// and hex runs of no known media type as text (protein sequences, hashes, calldata): 31,802 B.
// Then ~16 B for a symbol a processor writes converted as setAttribute converts it: 31,818 B.
// Then ~123 B for a 5xx keeping the exception's message as its status (~9), a traced fetch taking
// a stub that answers synchronously (~28), a fetch with an invalid header recorded as the caller's
// failed fetch (~19), baggage octets that are not UTF-8 read as U+FFFD (~42), a tool span's two
// tool names agreeing (~25); ~40 for ending the span of a fetch answered with no Response and
// reading a tool span's attributes only when needed; ~53 for a service.name resource attribute
// naming the service (~37) and stats().lastError masked as the warnings are (~15): 32,034 B.
// Then ~65 B for what a review of those fixes found: serviceName and the like resolved layer by
// layer (~43), a symbol cut to the limit and zero bytes kept as media (~22): 32,099 B. Then 1 B
// for recordLLM taking cached and reasoning token counts at the top level: 32,100 B. Then -6 B for
// cutString reading the word-cut hook without a redundant check: 32,094 B.)
const WORKER_GZIP_BUDGET = 32_094;

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe("bundle size", () => {
  it(`keeps a Worker using instrument() with OTLP export under ${WORKER_GZIP_BUDGET} bytes gzip, without zod`, async () => {
    const code = await bundleWorker(root("bench/fixtures/worker-instrumented.ts"), { minify: true });
    const gzip = gzipSync(code).byteLength;
    expect(gzip).toBeLessThanOrEqual(WORKER_GZIP_BUDGET);
    // Options are validated by a zod-free twin of the schema on Workers (src/core/config-check.ts).
    expect(code).not.toMatch(/\$ZodType|zod\/v4/);
    // Redaction and OTLP/JSON come with `import "spanwise/redact"` and `import "spanwise/otlp-json"`, not with instrument().
    // (The redaction stage's marks name what they replaced, "[REDACTED:email]"; a captured Headers'
    // masked values are a bare "[REDACTED]".)
    expect(code).not.toContain("[REDACTED:");
    expect(code).not.toContain("passw(?:or)?d");
    expect(code).not.toContain("stringValue");
  });

  it("builds the core entry for a neutral platform without any node: import", async () => {
    const result = await build({
      stdin: { contents: 'export * from "spanwise";', resolveDir: root("test/size"), loader: "ts" },
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.text ?? "";
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).not.toMatch(/["'`]node:/);
  });
});
