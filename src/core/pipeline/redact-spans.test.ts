import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
import { createSpanRedactor } from "./redact-spans.js";
import { resolveRedact } from "./resolve-redact.js";

function fakeSpan(trace: object, attributes: Record<string, unknown>, name = "span"): SpanRecord {
  return { name, statusMessage: undefined, attributes, attributeList: () => undefined, events: [], links: [], trace, attributeCount: Object.keys(attributes).length } as unknown as SpanRecord;
}

/** A span whose attributes are still its list of key, value pairs, as SpanRecord.attributeList gives them. */
function listSpan(trace: object, attributes: Record<string, unknown>): SpanRecord & { list: unknown[] } {
  const list = Object.entries(attributes).flat();
  return { name: "span", statusMessage: undefined, list, attributeList: () => list, events: [], links: [], trace, attributeCount: list.length / 2 } as unknown as SpanRecord & { list: unknown[] };
}

describe("the redaction stage", () => {
  it("leaves out a trace it cannot process instead of sending it unredacted, and reports it once", async () => {
    const failures: [number, unknown][] = [];
    const stage = createSpanRedactor(resolveRedact(true, "init()", "redact")!, (n, err) => void failures.push([n, err]));
    const broken = {} as TraceData;
    const fine = {} as TraceData;
    const hostile = {};
    Object.defineProperty(hostile, "note", { enumerable: true, get: () => { throw new Error("hostile getter"); } });
    const spans = [fakeSpan(broken, { mail: "a@b.example" }), fakeSpan(broken, hostile), fakeSpan(fine, { mail: "ada@example.com" })];
    const kept = await stage.run(spans);
    expect(kept).toEqual([spans[2]]);
    expect(kept[0]?.attributes.mail).toBe("[REDACTED:email]");
    expect(failures).toHaveLength(1);
    expect(failures[0]?.[0]).toBe(2);
    expect(String(failures[0]?.[1])).toContain("hostile getter");
  });

  it("hashes every occurrence of a value in a batch the same way, and again in the next batch", async () => {
    const stage = createSpanRedactor(resolveRedact({ mode: "hash", salt: "unit-test-salt" }, "init()", "redact")!, () => undefined);
    const trace = {} as TraceData;
    const a = fakeSpan(trace, { to: "ada@example.com", cc: ["ada@example.com", "bob@example.com"] }, "mail ada@example.com");
    const b = fakeSpan(trace, { from: "ada@example.com" });
    await stage.run([a, b]);
    const hash = a.attributes.to as string;
    expect(hash).toMatch(/^\[sha256:[0-9a-f]{16}\]$/);
    expect(a.attributes.cc).toEqual([hash, expect.stringMatching(/^\[sha256:/)]);
    expect((a.attributes.cc as string[])[1]).not.toBe(hash);
    expect(a.name).toBe(`mail ${hash}`);
    expect(b.attributes.from).toBe(hash);
    const c = fakeSpan(trace, { again: "write to ada@example.com" });
    await stage.run([c]);
    expect(c.attributes.again).toBe(`write to ${hash}`);
  });

  it("removes attributes under sensitive keys in remove mode and keeps the count right", async () => {
    const stage = createSpanRedactor(resolveRedact({ mode: "remove" }, "init()", "redact")!, () => undefined);
    const s = fakeSpan({}, { password: "x", "http.request.header.cookie": "c=1", keep: "me" });
    await stage.run([s]);
    expect(s.attributes).toEqual({ keep: "me" });
    expect(s.attributeCount).toBe(1);
  });

  it("redacts a span's attribute list in place as it redacts an object, removed pairs and all", async () => {
    for (const mode of ["mask", "remove"] as const) {
      const stage = createSpanRedactor(resolveRedact({ mode }, "init()", "redact")!, () => undefined);
      const input = { password: "x", to: "ada@example.com", n: 4111111111111111, cc: ["ada@example.com", "ok"], "http.request.header.cookie": "c=1", keep: "me", flag: true };
      const asObject = fakeSpan({}, { ...input });
      const asList = listSpan({}, { ...input });
      await stage.run([asObject, asList]);
      const pairs: [string, unknown][] = [];
      for (let i = 0; i < asList.list.length; i += 2) pairs.push([asList.list[i] as string, asList.list[i + 1]]);
      expect(pairs).toEqual(Object.entries(asObject.attributes));
      expect(asList.attributeCount).toBe(asObject.attributeCount);
    }
  });
});
