import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, attr, startWorker } from "./harness.js";

const serviceNames = (w: RunningWorker) => w.collector.requests.map((r) => r.body?.resourceSpans[0]?.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue);

describe("instrument(): options from env bindings", () => {
  const running: RunningWorker[] = [];
  const start = async (...args: Parameters<typeof startWorker>) => {
    const w = await startWorker(...args);
    running.push(w);
    return w;
  };
  afterAll(() => Promise.all(running.map((w) => w.close())));

  it("reads SPANWISE_* bindings, and builds the options again only when the env changes", async () => {
    const w = await start();
    for (let i = 0; i < 3; i++) await (await w.get("/plain")).text();
    await w.spansWhen((s) => s.length === 3);
    expect((await w.debug()).optionsCalls).toBe(1);
    expect(serviceNames(w)).toEqual(["workers-suite", "workers-suite", "workers-suite"]);
    await (await w.get("/other-env")).text();
    await w.spansWhen((s) => s.length === 4);
    expect((await w.debug()).optionsCalls).toBe(2);
    expect(serviceNames(w).at(-1)).toBe("other-env");
  });

  it("takes service.name from the options' resourceAttributes, over a SPANWISE_SERVICE_NAME binding as any option is", async () => {
    const attribute = await start({ bindings: { SPANWISE_SERVICE_NAME: "", RESOURCE_SERVICE_NAME: "from-attributes" } });
    await (await attribute.get("/plain")).text();
    await attribute.spansWhen((s) => s.length === 1);
    expect(serviceNames(attribute)).toEqual(["from-attributes"]);
    const named = await start({ bindings: { RESOURCE_SERVICE_NAME: "from-attributes" } });
    await (await named.get("/plain")).text();
    await named.spansWhen((s) => s.length === 1);
    expect(serviceNames(named)).toEqual(["from-attributes"]);
  });

  it("turns tracing off with SPANWISE_ENABLED=false and serves as before", async () => {
    const w = await start({ bindings: { SPANWISE_ENABLED: "false" } });
    expect(await (await w.get("/plain")).json()).toEqual({ plain: true });
    expect(await (await w.get("/work?i=1")).json()).toMatchObject({ i: "1" });
    const { stats } = await w.debug();
    expect(stats.ended).toBe(0);
    expect(w.collector.requests).toHaveLength(0);
  });

  it("stops waiting for waitUntil work after flushTimeoutMs and exports what there is, marking unfinished spans", async () => {
    const w = await start({ bindings: { FLUSH_TIMEOUT_MS: "300" } });
    expect(await (await w.get("/slow-background")).text()).toBe("started");
    // The background span sleeps for 60 s; the export goes out without waiting for it.
    const spans = await w.spansWhen((s) => s.length === 2);
    const slow = spans.find((s) => s.name === "slow-background");
    expect(attr(slow, "spanwise.unfinished")).toBe(true);
    expect(slow?.parentSpanId).toBe(spans.find((s) => s.kind === 2)?.spanId);
    expect((await w.debug()).warnings.some((m) => m.includes("flushTimeoutMs (300 ms)"))).toBe(true);
  });

  it("serves every request untraced, never failing it, when a binding is malformed", async () => {
    const w = await start({ bindings: { SPANWISE_ENABLED: "maybe" } });
    for (let i = 0; i < 2; i++) {
      const res = await w.get("/plain");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ plain: true });
    }
    expect(w.collector.spans()).toHaveLength(0);
  });

  // wrangler hands non-string [vars] (`SPANWISE_SAMPLE_RATE = 0` in wrangler.toml) over as JSON values.
  it("reads number and boolean bindings as their text", async () => {
    const off = await start({ bindings: { SPANWISE_ENABLED: false } });
    expect(await (await off.get("/plain")).json()).toEqual({ plain: true });
    expect((await off.debug()).stats).toMatchObject({ enabled: false, started: 0 });
    const unsampled = await start({ bindings: { SPANWISE_SAMPLE_RATE: 0 } });
    expect(await (await unsampled.get("/plain")).json()).toEqual({ plain: true });
    expect((await unsampled.debug()).stats).toMatchObject({ enabled: true, ended: 1, dropped: { notSampled: 1 } });
    const limited = await start({ bindings: { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: 2 } });
    await (await limited.get("/plain")).text();
    const [root] = await limited.spansWhen((s) => s.length === 1);
    expect(root?.attributes).toHaveLength(2);
  });

  it("takes an object or array binding for malformed: a SPANWISE_* one turns tracing off naming it, an OTEL_* one is ignored with a warning", async () => {
    const w = await start({ bindings: { OTEL_SPAN_EVENT_COUNT_LIMIT: [3] } });
    await (await w.get("/plain")).text();
    await w.spansWhen((s) => s.length === 1);
    expect((await w.debug()).warnings).toContain("[spanwise] invalid OTEL_SPAN_EVENT_COUNT_LIMIT from environment: expected an integer from 0 to 100000, got [3]; ignored, as if unset.");
    const off = await start({ bindings: { SPANWISE_SAMPLE_RATE: { rate: 0.5 } }, quiet: true });
    expect(await (await off.get("/plain")).json()).toEqual({ plain: true });
    const said = /tracing is off for this Worker: spanwise: invalid SPANWISE_SAMPLE_RATE from environment: expected .*, got \{"rate":0\.5\}/;
    for (let waited = 0; !said.test(off.output()) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(off.output()).toMatch(said);
    expect((await off.debug()).stats.started).toBe(0);
  });

  it("warns about a SPANWISE_* binding it does not read, naming the one most likely meant, falsy values too", async () => {
    // wrangler makes `SPANWISE_SAMPEL_RATE = 0` a number binding and `SPANWISE_ENABLD = false` a boolean one.
    const w = await start({ bindings: { SPANWISE_SAMPEL_RATE: "0.5", SPANWISE_SAMPLE_RAT: 0, SPANWISE_ENABLD: false, SPANWISE_BLANK: " " } });
    expect(await (await w.get("/plain")).json()).toEqual({ plain: true });
    const warnings = (await w.debug()).warnings;
    expect(warnings).toContain("[spanwise] SPANWISE_SAMPEL_RATE is set, but spanwise reads no such variable (did you mean SPANWISE_SAMPLE_RATE?).");
    expect(warnings).toContain("[spanwise] SPANWISE_SAMPLE_RAT is set, but spanwise reads no such variable (did you mean SPANWISE_SAMPLE_RATE?).");
    expect(warnings).toContain("[spanwise] SPANWISE_ENABLD is set, but spanwise reads no such variable (did you mean SPANWISE_ENABLED?).");
    expect(warnings.join("\n")).not.toContain("SPANWISE_BLANK");
  });

  it("shows an object per-signal endpoint binding it ignores for the general one as its JSON", async () => {
    // The general endpoint (nothing listens there) is what the invalid per-signal one gives way to.
    const w = await start({ bindings: { SPANWISE_ENDPOINT: "", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { url: "x" } } });
    await (await w.get("/plain")).text();
    expect((await w.debug()).warnings.join("\n")).toContain('invalid OTEL_EXPORTER_OTLP_TRACES_ENDPOINT from environment: expected');
    expect((await w.debug()).warnings.join("\n")).toContain('got {"url":"x"}; ignored');
  });

  it("names the options function in the error when the options it builds are invalid", async () => {
    const w = await start({ bindings: { EXPORT_TIMEOUT_MS: "0" }, quiet: true });
    expect(await (await w.get("/plain")).json()).toEqual({ plain: true });
    const said = /tracing is off for this Worker: spanwise: invalid exportTimeoutMs from instrument\(\) options function: expected an integer number of milliseconds from 1 to 3600000, got 0/;
    for (let waited = 0; !said.test(w.output()) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(w.output()).toMatch(said);
    expect(w.collector.requests).toHaveLength(0);
  });

  // Redaction and the OTLP/JSON encoder are imports of their own on Workers (spanwise/redact,
  // spanwise/otlp-json): SPANWISE_REDACT without its import turns tracing off (spans are never
  // sent unredacted); the standard OTEL_EXPORTER_OTLP_PROTOCOL=http/json is warned about, and
  // protobuf is sent instead.
  const SALT = "s3cret-salt-never-logged";
  for (const [binding, value, entry] of [["SPANWISE_REDACT", "hash", "spanwise/redact"]] as const) {
    it(`refuses ${binding}=${value} in a Worker that did not import ${entry}: serves untraced, naming the import`, async () => {
      const w = await start({ bindings: { [binding]: value, SPANWISE_REDACT_SALT: SALT }, quiet: true });
      const res = await w.get("/work?i=ada.lovelace@analytical.example");
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ i: "ada.lovelace@analytical.example" });
      await (await w.get("/plain")).text();
      expect((await w.debug()).stats.ended).toBe(0);
      // The Worker's console reaches this process through a pipe: wait for the line.
      const said = new RegExp(`tracing is off for this Worker: spanwise: invalid ${binding} from environment: .*import "${entry}"`);
      for (let waited = 0; !said.test(w.output()) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(w.output()).toMatch(said);
      // The salt is a secret: the logged error shows it hidden.
      expect(w.output()).not.toContain(SALT);
      expect(w.collector.requests).toHaveLength(0);
    });
  }

  it("redacts what it sends with SPANWISE_REDACT once the Worker imports spanwise/redact", async () => {
    const w = await start({ fixture: "opt-in-worker.ts", bindings: { SPANWISE_REDACT: "true" } });
    expect(await (await w.get("/work?i=ada.lovelace@analytical.example")).json()).toMatchObject({ i: "ada.lovelace@analytical.example" });
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "inner"));
    expect(attr(spans.find((s) => s.name === "step"), "i")).toBe("[REDACTED:email]");
    expect(attr(spans.find((s) => s.name === "inner"), "i")).toBe("[REDACTED:email]");
    expect(w.collector.requests.map((r) => r.raw).join("")).not.toContain("lovelace");
  });

  it("sends protobuf, with a warning naming the import, for OTEL_EXPORTER_OTLP_PROTOCOL=http/json in a Worker that did not import spanwise/otlp-json", async () => {
    const w = await start({ bindings: { OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" } });
    await (await w.get("/work?i=7")).json();
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "inner"));
    expect(attr(spans.find((s) => s.name === "step"), "i")).toBe("7");
    expect(w.collector.requests.map((r) => r.headers["content-type"])).toEqual(w.collector.requests.map(() => "application/x-protobuf"));
    const { warnings } = await w.debug();
    expect(warnings.filter((m) => /OTEL_EXPORTER_OTLP_PROTOCOL from environment: .*import "spanwise\/otlp-json".*ignored/.test(m))).toHaveLength(1);
  });

  it("sends OTLP/JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json once the Worker imports spanwise/otlp-json", async () => {
    const w = await start({ fixture: "opt-in-worker.ts", bindings: { OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" } });
    await (await w.get("/work?i=7")).json();
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "inner"));
    expect(attr(spans.find((s) => s.name === "step"), "i")).toBe("7");
    expect(w.collector.requests.map((r) => r.headers["content-type"])).toEqual(w.collector.requests.map(() => "application/json"));
    expect(JSON.parse(w.collector.requests[0]?.raw ?? "{}").resourceSpans).toHaveLength(1);
  });
});
