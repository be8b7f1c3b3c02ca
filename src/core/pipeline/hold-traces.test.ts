import { describe, expect, it } from "vitest";
import type { BatchBuffer } from "../buffer.js";
import type { SpanRecord } from "../span.js";
import { TraceData } from "../trace-data.js";
import { seededRandom } from "../../../test/helpers/seeded-random.js";
import { holdTraces } from "./hold-traces.js";

// The trace assembler keeps its waiting traces in an array with lazy deletion and compaction
// (cheaper than a Set per trace). This drives it with long random runs against a model written
// the plain way (a list searched and spliced), and requires the same spans handed on, in the
// same groups and order: a trace lost from the array, or found twice, shows up as a difference.

interface FakeSpan {
  readonly id: number;
  readonly trace: TraceData;
  endTime: number;
}

/** What the inner queue was given, as groups of span ids (a single add is a group of one). */
function recorder(): { inner: BatchBuffer; groups: number[][] } {
  const groups: number[][] = [];
  const inner = {
    size: 0,
    add: (s: SpanRecord) => void groups.push([(s as unknown as FakeSpan).id]),
    addAll: (spans: readonly SpanRecord[]) => void groups.push(spans.map((s) => (s as unknown as FakeSpan).id)),
    flush: async () => {},
    shutdown: async () => {},
  } as BatchBuffer;
  return { inner, groups };
}

/** The assembler's rules written the plain way, on the same fake traces. */
function model(maxSpans: number) {
  const groups: number[][] = [];
  const waiting: { trace: TraceData; held: number[] }[] = [];
  let count = 0;
  const release = (i: number, root?: number): void => {
    const [w] = waiting.splice(i, 1);
    if (w === undefined) return;
    count -= w.held.length;
    groups.push(root === undefined ? w.held : [...w.held, root]);
  };
  return {
    groups,
    child(s: FakeSpan, rootEnded: boolean): void {
      if (rootEnded) return void groups.push([s.id]);
      let w = waiting.find((x) => x.trace === s.trace);
      if (w === undefined) waiting.push((w = { trace: s.trace, held: [] }));
      w.held.push(s.id);
      count++;
      while (count > maxSpans && waiting.length > 0) release(0);
    },
    root(s: FakeSpan): void {
      const i = waiting.findIndex((x) => x.trace === s.trace);
      if (i >= 0) release(i, s.id);
      else groups.push([s.id]);
    },
    flush(): void {
      while (waiting.length > 0) release(0);
    },
  };
}

/** A trace whose root is open, for the assembler to hold spans of. */
function openTrace(): TraceData {
  const trace = new TraceData(undefined);
  trace.root = { endTime: 0 } as unknown as SpanRecord;
  return trace;
}

/** An assembler on a clock the test sets, with what it hands on and a way to add a span. */
function clocked(maxWaitMs: number) {
  const { inner, groups } = recorder();
  const clock = { now: 0 };
  const held = holdTraces(inner, { maxWaitMs, maxSpans: 1_000_000, now: () => clock.now });
  const add = (trace: TraceData, id: number, endTime = clock.now) => held.add({ id, trace, endTime } as unknown as SpanRecord);
  return { held, groups, clock, add };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("holdTraces", () => {
  for (const [seed, maxSpans] of [
    [1, 1_000_000],
    [2, 1_000_000],
    [3, 50],
    [4, 7],
  ] as const) {
    it(`hands on the same groups as the plain model over a long random run (seed ${seed}, at most ${maxSpans} held)`, async () => {
      const rnd = seededRandom(seed);
      const { inner, groups } = recorder();
      const held = holdTraces(inner, { maxWaitMs: 3_600_000, maxSpans, now: () => 0 });
      const plain = model(maxSpans);
      let nextId = 1;
      const open: { trace: TraceData; root: FakeSpan }[] = [];
      for (let step = 0; step < 20_000; step++) {
        const r = rnd();
        if (r < 0.3 || open.length === 0) {
          // A new trace; now and then one that stays open for a long time (pushing compaction).
          const trace = new TraceData(undefined);
          const root: FakeSpan = { id: nextId++, trace, endTime: 0 };
          trace.root = root as unknown as SpanRecord;
          open.push({ trace, root });
        } else if (r < 0.75) {
          // A child of an open trace ends (most often the newest: short traces come and go).
          const t = open[rnd() < 0.8 ? open.length - 1 : Math.floor(rnd() * open.length)] as (typeof open)[number];
          const child: FakeSpan = { id: nextId++, trace: t.trace, endTime: step + 1 };
          held.add(child as unknown as SpanRecord);
          plain.child(child, false);
        } else if (r < 0.995) {
          // A root ends: most often the newest trace's, now and then an old one's.
          const i = rnd() < 0.9 ? open.length - 1 : Math.floor(rnd() * open.length);
          const [t] = open.splice(i, 1);
          if (t === undefined) continue;
          t.root.endTime = step + 1;
          held.add(t.root as unknown as SpanRecord);
          plain.root(t.root);
          // A late child of the ended trace goes straight on.
          if (rnd() < 0.05) {
            const late: FakeSpan = { id: nextId++, trace: t.trace, endTime: step + 1 };
            held.add(late as unknown as SpanRecord);
            plain.child(late, true);
          }
        } else {
          await held.flush();
          plain.flush();
        }
      }
      await held.flush();
      plain.flush();
      expect(groups).toEqual(plain.groups);
      expect(held.size).toBe(0);
      await held.shutdown();
    });
  }

  it("lets a lone trace go after maxWaitMs", async () => {
    const { held, groups, clock, add } = clocked(50);
    const trace = openTrace();
    add(trace, 1);
    add(trace, 2);
    expect(groups).toEqual([]);
    clock.now = 60;
    await sleep(120);
    expect(groups).toEqual([[1, 2]]);
    expect(held.size).toBe(0);
    await held.shutdown();
  });

  it("lets traces go after maxWaitMs, oldest first, however many came and went before", async () => {
    const { held, groups, clock, add } = clocked(100);
    // Two traces that stay open, with thousands that come and go before, between and after them.
    const cycle = (from: number) => {
      for (let i = 0; i < 2000; i++) {
        const t = openTrace();
        add(t, from + i);
        const root = { id: -(from + i), trace: t, endTime: clock.now + 1 };
        t.root = root as unknown as SpanRecord;
        held.add(root as unknown as SpanRecord);
      }
    };
    cycle(10_000);
    add(openTrace(), 1);
    clock.now = 10;
    cycle(20_000);
    add(openTrace(), 2);
    cycle(30_000);
    const before = groups.length;
    clock.now = 105;
    await sleep(150);
    clock.now = 300;
    await sleep(150);
    expect(groups.slice(before)).toEqual([[1], [2]]);
    await held.shutdown();
  });
});
