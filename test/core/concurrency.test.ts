import { afterEach, describe, expect, it } from "vitest";
import { currentSpan, flush, observe, type ReadableSpan, shutdown, span, stats } from "spanwise/node";
import { start } from "./helpers.js";

const TASKS = 1_000;
// agent (0) → level1 (1) → level2 (2) → level3 (3), plus a second level-1 child started from a timer.
const SPANS_PER_TASK = 5;

const jitter = (): number => Math.floor(Math.random() * 5);
const later = <T>(ms: number, fn: () => T): Promise<Awaited<T>> => new Promise<Awaited<T>>((resolve, reject) => setTimeout(() => {
  try {
    resolve(fn() as Awaited<T> | PromiseLike<Awaited<T>>);
  } catch (err) {
    reject(err);
  }
}, ms));

afterEach(async () => {
  await shutdown();
});

describe("concurrency", () => {
  it.each([
    ["a large queue and manual flush", {}],
    ["the default queue, batch size and timer", { maxQueueSize: undefined, maxExportBatchSize: undefined, scheduleDelayMs: undefined }],
  ])("keeps every span of 1,000 interleaved agent runs in its own trace under the right parent, with %s", async (_label, options) => {
    const { memory } = start(options);

    const level3 = (task: number): Promise<number> =>
      span("level3", { attributes: { task, level: 3 } }, async () => {
        await later(jitter(), () => undefined);
        return task * 2;
      });

    const level2 = observe(
      async (task: number): Promise<number> => {
        currentSpan()?.setAttributes({ task, level: 2 });
        await new Promise((resolve) => setTimeout(resolve, jitter()));
        // The grandchild is started from a timer callback, then flows through a promise chain.
        return later(jitter(), () => level3(task)).then((v) => v + 1);
      },
      { name: "level2", kind: "tool" },
    );

    const agent = observe(
      async (task: number) => {
        currentSpan()?.setAttributes({ task, level: 0 });
        await new Promise((resolve) => setTimeout(resolve, jitter()));
        const a = await span("level1", { attributes: { task, level: 1 } }, async () => {
          await Promise.resolve();
          return Promise.resolve(task)
            .then((v) => later(jitter(), () => v))
            .then((v) => level2(v));
        });
        const b = await later(jitter(), () => span("level1b", { attributes: { task, level: 1 } }, () => Promise.resolve(task).then((v) => -v)));
        return { task, a, b };
      },
      { name: "agent", kind: "agent" },
    );

    const results = await Promise.all(Array.from({ length: TASKS }, (_, i) => agent(i)));
    expect(results).toEqual(Array.from({ length: TASKS }, (_, i) => ({ task: i, a: i * 2 + 1, b: -i })));

    await flush();

    expect(memory.spans).toHaveLength(TASKS * SPANS_PER_TASK);
    const byTask = new Map<number, Map<string, ReadableSpan>>();
    for (const s of memory.spans) {
      const task = s.attributes.task as number;
      let spans = byTask.get(task);
      if (!spans) byTask.set(task, (spans = new Map()));
      expect(spans.has(s.name), `task ${task} has two "${s.name}" spans`).toBe(false);
      spans.set(s.name, s);
    }
    expect(byTask.size).toBe(TASKS);

    const expectedParent: Record<string, string | undefined> = { agent: undefined, level1: "agent", level2: "level1", level3: "level2", level1b: "agent" };
    const traceIds = new Set<string>();
    for (const [task, spans] of byTask) {
      const root = spans.get("agent");
      expect(root, `task ${task} lost its root`).toBeDefined();
      traceIds.add(root!.traceId);
      for (const [name, parentName] of Object.entries(expectedParent)) {
        const s = spans.get(name);
        expect(s, `task ${task} lost "${name}"`).toBeDefined();
        expect(s!.traceId, `task ${task} "${name}" is in another trace`).toBe(root!.traceId);
        const parentId = parentName === undefined ? undefined : spans.get(parentName)!.spanId;
        expect(s!.parentSpanId, `task ${task} "${name}" has the wrong parent`).toBe(parentId);
        expect(s!.endTime).toBeGreaterThanOrEqual(s!.startTime);
      }
    }
    expect(traceIds.size).toBe(TASKS);

    const st = stats();
    expect(st.started).toBe(TASKS * SPANS_PER_TASK);
    expect(st.ended).toBe(st.started);
    expect(st.exported).toBe(st.ended);
    expect(st.queued).toBe(0);
    expect(st.exportErrors).toBe(0);
    expect(st.internalErrors).toBe(0);
    expect(Object.values(st.dropped).every((n) => n === 0)).toBe(true);
  });

  it("does not leak a span's context into concurrent siblings started from the same parent", async () => {
    const { memory } = start();
    await span("parent", async () => {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          span(`child-${i}`, async () => {
            await new Promise((resolve) => setTimeout(resolve, jitter()));
            await span(`grandchild-${i}`, () => new Promise((resolve) => setTimeout(resolve, jitter())));
          }),
        ),
      );
    });
    await flush();
    const byName = new Map(memory.spans.map((s) => [s.name, s]));
    const parent = byName.get("parent")!;
    for (let i = 0; i < 50; i++) {
      expect(byName.get(`child-${i}`)!.parentSpanId).toBe(parent.spanId);
      expect(byName.get(`grandchild-${i}`)!.parentSpanId).toBe(byName.get(`child-${i}`)!.spanId);
    }
  });
});
