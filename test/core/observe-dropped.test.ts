import { afterEach, describe, expect, it } from "vitest";
import { flush, observe, shutdown, stats } from "spanwise/node";
import { collectUntil } from "../helpers/collect-garbage.js";
import { type Harness, only, start } from "./helpers.js";

// What an observed function returns may be dropped before its end: a generator left after its
// first items, a stream or Response nobody reads. Only the collector knows; the span then ends
// with what it saw, marked cancelled and abandoned, instead of staying open until shutdown.

let h: Harness;
afterEach(() => shutdown());

const ended = (n: number) => () => stats().ended >= n;

describe("observe on results dropped before their end", () => {
  it("ends a generator's span once the generator is collected, left after its first item", async () => {
    h = start();
    const numbers = observe(function* numbers() {
      yield 1;
      yield 2;
    });
    (() => {
      const gen = numbers();
      expect(gen.next().value).toBe(1);
    })();
    expect(stats().ended).toBe(0);
    expect(await collectUntil(ended(1))).toBe(true);
    await flush();
    const s = only(h.memory, "numbers");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.attributes["spanwise.abandoned"]).toBe(true);
    // What it had yielded, as a broken-off loop records it.
    expect(s.attributes["output.value"]).toBe("[1]");
    expect(s.statusCode).not.toBe("error");
  });

  it("ends an async generator's span once it is collected, never iterated", async () => {
    h = start();
    const words = observe(async function* words() {
      yield "a";
    });
    (() => void words())();
    expect(await collectUntil(ended(1))).toBe(true);
    await flush();
    expect(only(h.memory, "words").attributes["spanwise.abandoned"]).toBe(true);
  });

  it("ends a stream's span with the chunks read once the stream is collected, and cancels its source", async () => {
    h = start();
    let cancelled = false;
    const produce = observe(function produce() {
      let n = 0;
      return new ReadableStream<Uint8Array>({
        pull: (c) => c.enqueue(new Uint8Array(++n)),
        cancel: () => void (cancelled = true),
      });
    });
    await (async () => {
      const reader = produce().getReader();
      expect((await reader.read()).value).toHaveLength(1);
    })();
    expect(await collectUntil(ended(1))).toBe(true);
    await flush();
    const s = only(h.memory, "produce");
    expect(s.attributes).toMatchObject({ "spanwise.cancelled": true, "spanwise.abandoned": true, "spanwise.stream.chunks": 1, "spanwise.stream.bytes": 1 });
    await collectUntil(() => cancelled, 1_000);
    expect(cancelled).toBe(true);
  });

  it("ends a streamed Response's span once the copy handed back is collected, and leaves the original's body to whoever holds it", async () => {
    h = start();
    const kept: Response[] = [];
    const respond = observe(function respond() {
      const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode("still here")), c.close()) });
      const response = new Response(body, { headers: { "content-type": "text/event-stream" } });
      kept.push(response);
      return response;
    });
    (() => void respond())();
    expect(await collectUntil(ended(1))).toBe(true);
    await flush();
    expect(only(h.memory, "respond").attributes["spanwise.abandoned"]).toBe(true);
    expect(await kept[0]?.text()).toBe("still here");
  });

  it("leaves a generator and a stream read to their end as they were", async () => {
    h = start();
    const numbers = observe(function* numbers() {
      yield 1;
    });
    const produce = observe(function produce() {
      return new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode("x")), c.close()) });
    });
    expect([...numbers()]).toEqual([1]);
    expect(await new Response(produce()).text()).toBe("x");
    await collectUntil(() => false, 300);
    await flush();
    for (const name of ["numbers", "produce"]) {
      const s = only(h.memory, name);
      expect(s.attributes["spanwise.abandoned"]).toBeUndefined();
      expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
    }
  });
});
