import type { Attributes } from "./attributes.js";
import type { DropReason } from "./buffer.js";
import { hexWord, randomWord } from "./ids.js";
import type { Scope } from "./scope.js";
import type { SpanCollector } from "./span-host.js";
import type { SpanRecord } from "./span.js";
import type { SpanContext } from "./span-types.js";

/**
 * Per-trace state shared by the spans of one trace in this isolate. The trace id, flags and
 * tracestate are the same for every span of a trace, so they live here once rather than on
 * each span.
 */
export class TraceData {
  root: SpanRecord | undefined = undefined;
  /** The global attributes current when the trace began here; a span started later under other globals keeps its own. */
  globals: Attributes | undefined = undefined;
  /** Open spans of the trace, so an invocation can end the ones a user forgot. */
  open: Set<SpanRecord> | undefined = undefined;
  collector: SpanCollector | undefined = undefined;
  update: (Scope & { name?: string; input?: string; output?: string }) | undefined = undefined;
  /** The head sampler's decision, carried as the W3C sampled flag of the trace's spans. */
  sampled = false;
  /** Why the trace is not recorded (counted per span as it ends), or "filtered" once a processor dropped it. */
  drop: DropReason | undefined = undefined;
  /** Set at flush when tail sampling kept the trace (`keep`), so spans that end later are kept too. */
  kept = false;
  /** Ended spans waiting for the local root to end (long-lived processes only). */
  held: SpanRecord[] | undefined = undefined;
  /** When the first of the held spans ended. */
  heldSince = 0;
  /** Where the trace waits in the trace assembler's order (see holdTraces). */
  heldAt = 0;
  /** W3C trace flags of every span: bit 0 is the head decision, the others pass through from a remote parent. */
  traceFlags: number;
  readonly traceState: string | undefined;
  // A local trace id stays four random words until something reads it as hex.
  private id: string | undefined;
  private readonly w0: number;
  private readonly w1: number;
  private readonly w2: number;
  private readonly w3: number;

  /** A new trace: continuing `remote`, or with a fresh random id. Unsampled until `setSampled`. */
  constructor(remote: SpanContext | undefined) {
    // Of the caller's flags only random (0x02) carries over: sampled is decided here, and the
    // others are reserved (W3C Trace Context §3.2.2.5).
    this.traceFlags = remote ? remote.traceFlags & 0x02 : 0;
    this.traceState = remote?.traceState;
    if (remote) {
      this.id = remote.traceId;
      this.w0 = this.w1 = this.w2 = this.w3 = 0;
    } else {
      let a: number;
      let b: number;
      let c: number;
      let d: number;
      // W3C Trace Context §3.2.2.3: an all-zero trace id is invalid.
      do {
        a = randomWord();
        b = randomWord();
        c = randomWord();
        d = randomWord();
      } while ((a | b | c | d) === 0);
      this.id = undefined;
      this.w0 = a;
      this.w1 = b;
      this.w2 = c;
      this.w3 = d;
    }
  }

  /** Records the head sampler's decision, once, before the first span. */
  setSampled(sampled: boolean): void {
    this.sampled = sampled;
    this.traceFlags = (this.traceFlags & 0xfe) | (sampled ? 1 : 0);
  }

  /**
   * Tail sampling kept the trace: its spans are exported, with the sampled flag, since some OTLP
   * consumers drop spans whose flags say unsampled. What it sends on from now on says so too.
   */
  keep(): void {
    this.kept = true;
    this.traceFlags |= 1;
  }

  /** The trace id as 32 lowercase hex characters. */
  get traceId(): string {
    let id = this.id;
    if (id === undefined) id = this.id = hexWord(this.w0) + hexWord(this.w1) + hexWord(this.w2) + hexWord(this.w3);
    return id;
  }

  /**
   * Writes the trace id's 16 bytes at `at`; false for a remote id the caller must write from
   * its hex (the protobuf encoder's shortcut).
   */
  writeId(out: Uint8Array, at: number): boolean {
    if ((this.w0 | this.w1 | this.w2 | this.w3) === 0) return false;
    putWord(out, at, this.w0);
    putWord(out, at + 4, this.w1);
    putWord(out, at + 8, this.w2);
    putWord(out, at + 12, this.w3);
    return true;
  }
}

/** Writes a 32-bit word big-endian. */
function putWord(out: Uint8Array, at: number, w: number): void {
  out[at] = w >>> 24;
  out[at + 1] = w >>> 16;
  out[at + 2] = w >>> 8;
  out[at + 3] = w;
}
