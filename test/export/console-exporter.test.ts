import { afterEach, describe, expect, it } from "vitest";
import { createConsoleExporter, flush, init, observe, shutdown, span, startSpan, stats, updateCurrentSpan } from "spanwise/node";

afterEach(async () => {
  await shutdown();
});

/** Column at which `name` starts on the line that shows it. */
function column(lines: readonly string[], name: string): number {
  const line = lines.find((l) => new RegExp(`[└├]─ ${name} \\[`).test(l));
  expect(line, `a line for ${name}`).toBeDefined();
  return line!.indexOf(`${name} [`);
}

describe("console exporter", () => {
  it("prints a trace as a tree with kinds, errors, model and tokens", async () => {
    const out: string[] = [];
    init({ serviceName: "support-bot", exporters: [createConsoleExporter({ write: out.push.bind(out) })], scheduleDelayMs: 60_000, logger: { warn: () => undefined } });

    const chat = observe(
      async () => {
        updateCurrentSpan({ model: "gpt-4o-mini", usage: { inputTokens: 120, outputTokens: 45 }, costUsd: 0.000045 });
        return "hi";
      },
      { name: "chat", kind: "llm" },
    );
    const lookup = observe(
      () => {
        throw new Error("index missing");
      },
      { name: "lookup", kind: "tool" },
    );
    const handle = observe(
      async () => {
        await span("plan", { spanKind: "internal" }, async () => {
          await chat();
        });
        try {
          lookup();
        } catch {
          // the user's own handling
        }
        startSpan("webhook", { spanKind: "client" }).end();
        return "done";
      },
      { name: "handle", spanKind: "server" },
    );

    expect(await handle()).toBe("done");
    await flush();

    expect(out).toHaveLength(1);
    const lines = out.join("\n").split("\n");
    expect(lines[0]).toMatch(/^● support-bot · trace [0-9a-f]{8}… · .+ · 5 spans$/);
    expect(lines).toHaveLength(6);

    // Names sit under their parent, one level deeper.
    const root = column(lines, "handle");
    expect(column(lines, "plan")).toBeGreaterThan(root);
    expect(column(lines, "lookup")).toBe(column(lines, "plan"));
    expect(column(lines, "webhook")).toBe(column(lines, "plan"));
    expect(column(lines, "chat")).toBeGreaterThan(column(lines, "plan"));
    const at = (name: string): number => lines.findIndex((l) => l.includes(`─ ${name} [`));
    expect(at("handle")).toBeLessThan(at("plan"));
    expect(at("plan")).toBeLessThan(at("chat"));
    expect(at("chat")).toBeLessThan(at("lookup"));

    const line = (name: string): string => lines[at(name)]!;
    expect(line("handle")).toContain("handle [server]");
    expect(line("plan")).toContain("plan [internal]");
    expect(line("webhook")).toContain("webhook [client]");
    expect(line("chat")).toContain("chat [llm]");
    expect(line("chat")).toContain("gpt-4o-mini");
    expect(line("chat")).toContain("120→45 tokens");
    expect(line("chat")).toContain("$0.000045");
    expect(line("lookup")).toContain("lookup [tool]");
    expect(line("lookup")).toMatch(/✗ index missing$/);
    expect(line("handle")).not.toContain("✗");
    expect(stats().exported).toBe(5);
  });

  it("shows a cost too small for six decimals as below a millionth, not as $0.000000", async () => {
    const out: string[] = [];
    init({ serviceName: "svc", exporters: [createConsoleExporter({ write: out.push.bind(out) })], scheduleDelayMs: 60_000, logger: { warn: () => undefined } });

    span("embed", { kind: "embedding" }, () => updateCurrentSpan({ model: "text-embedding-3-small", usage: { inputTokens: 12 }, costUsd: 0.00000024 }));
    span("free", { kind: "llm" }, () => updateCurrentSpan({ model: "local", usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0 }));
    await flush();

    const text = out.join("\n");
    expect(text).toMatch(/embed \[embedding\].*12→\? tokens · <\$0\.000001/);
    expect(text).toMatch(/free \[llm\].* · \$0\.000000/);
  });

  it("prints each trace of a batch separately", async () => {
    const out: string[] = [];
    init({ serviceName: "svc", exporters: [createConsoleExporter({ write: out.push.bind(out) })], scheduleDelayMs: 60_000, logger: { warn: () => undefined } });

    span("first", () => undefined);
    span("second", () => span("inner", () => undefined));
    await flush();

    expect(out).toHaveLength(2);
    expect(out[0]).toContain("1 span\n");
    expect(out[0]).toContain("└─ first [internal]");
    expect(out[1]).toContain("2 spans");
    expect(out[1]).toMatch(/└─ second \[internal\].*\n {3}└─ inner \[internal\]/);
  });
});
