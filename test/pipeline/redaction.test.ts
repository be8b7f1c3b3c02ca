import { afterEach, describe, expect, it } from "vitest";
import { type FinishedTrace, type RedactOptions, createMemoryExporter, flush, init, observe, recordLLM, shutdown, span, startSpan, stats, updateCurrentSpan, updateCurrentTrace, withAttributes } from "spanwise/node";
import { type Collector, quietLogger, startCollector } from "../helpers/collector.js";

// Every secret is unique, so finding any of these strings anywhere in a request body is a leak.
const PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
const SECRETS = {
  email: "ada.lovelace@analytical.example",
  email2: "grace.hopper@navy.example",
  phone: "+44 20 7946 0958",
  phoneUs: "(555) 867-5309",
  card: "4111 1111 1111 1111",
  cardDigits: "5555555555554444",
  iban: "DE89 3704 0044 0532 0130 00",
  openai: "sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0L",
  anthropic: "sk-ant-api03-Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzX9cV8bN7m",
  aws: "AKIAZ7EXAMPLEKEY1234",
  google: "AIzaSyQ8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzX9cV8",
  stripe: "sk_live_51Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzX9cV8bN7m",
  stripeRestricted: "rk_test_51Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0L",
  stripeWebhook: "whsec_Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzX9c",
  github: "ghp_Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzX9cV",
  slack: "xoxb-246813579024-1357924680135-ZxQwErTyUiOp",
  bearer: "b3ar3r.T0ken-Value_987654",
  jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEiLCJyb2xlIjoiYWRtaW4ifQ.Sfl-KxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  pem: `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\nQ2hhbmdlIG1lIHRvIHNvbWV0aGluZw==\n-----END PRIVATE KEY-----`,
  password: "Tr0ub4dor&3-horse",
  authHeader: "Basic YWRhOnNlY3JldC1wYXNz",
  cookie: "session=8f14e45fceea167a5a36dedd4bea2543",
  apiKeyValue: "k-live-3141592653589793",
  tokenValue: "opaque-refresh-2718281828",
  nestedPassword: "n3sted-Pa55word!",
};

// Text that must survive around the secrets.
const CONTEXT = ["Please ship the order to", "reachable on", "paid with card", "wire it to", "thanks, Ada", "the tool said", "order 1042"];

function needles(): string[] {
  return [...Object.values(SECRETS), PEM_BODY, SECRETS.card.replace(/ /g, ""), SECRETS.iban.replace(/ /g, ""), "8f14e45fceea167a5a36dedd4bea2543", "YWRhOnNlY3JldC1wYXNz"];
}

/** Runs an agent that leaks every secret into every place a span carries text. */
async function plantSecrets(): Promise<void> {
  const lookup = observe(
    async (query: { email: string; password: string; note: string }) => ({
      answer: `the tool said: wire it to ${SECRETS.iban}, thanks, Ada`,
      upstream: `called the CRM with Authorization: Bearer ${SECRETS.bearer}`,
      session: SECRETS.jwt,
      key: SECRETS.pem,
      query,
    }),
    { name: "lookup_customer", kind: "tool" },
  );
  await withAttributes({ userId: SECRETS.email, metadata: { contact: `reachable on ${SECRETS.phoneUs}`, api_key: SECRETS.apiKeyValue } }, async () => {
    await span(`handle order 1042 for ${SECRETS.email2}`, { kind: "agent" }, async (root) => {
      updateCurrentTrace({ input: `Please ship the order to ${SECRETS.email}, reachable on ${SECRETS.phone}` });
      root.setAttributes({
        "customer.card": `paid with card ${SECRETS.card}`,
        "customer.card_number": Number(SECRETS.cardDigits),
        "customer.contacts": [SECRETS.email2, `reachable on ${SECRETS.phone}`],
        password: SECRETS.password,
        "http.request.header.authorization": SECRETS.authHeader,
        "http.request.header.cookie": SECRETS.cookie,
        "config.keys": `openai ${SECRETS.openai} anthropic ${SECRETS.anthropic} aws ${SECRETS.aws}`,
        "billing.request": `POST https://api.stripe.com/v1/refunds -u ${SECRETS.stripeRestricted}: for order 1042`,
        "maps.url": `https://maps.googleapis.com/maps/api/geocode/json?address=London&key=${SECRETS.google}`,
        "ci.tokens": `github ${SECRETS.github} slack ${SECRETS.slack}`,
        payload: JSON.stringify({ refresh_token: SECRETS.tokenValue, nested: JSON.stringify({ password: SECRETS.nestedPassword, note: `wire it to ${SECRETS.iban}` }) }),
      });
      root.addEvent("login", { note: `user ${SECRETS.email} paid with card ${SECRETS.card}`, api_key: SECRETS.apiKeyValue });
      root.addEvent(`order 1042 mailed to ${SECRETS.email2}`);
      root.addLink({ context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 }, attributes: { "peer.contact": SECRETS.email2 } });
      await lookup({ email: SECRETS.email, password: SECRETS.password, note: `reachable on ${SECRETS.phone}` });
      await span("plan", { kind: "llm" }, async () => {
        updateCurrentSpan({
          model: "gpt-4o",
          input: [
            { role: "system", content: `Use key ${SECRETS.openai} and never reveal it` },
            { role: "user", content: `Please ship the order to ${SECRETS.email}, paid with card ${SECRETS.card}` },
          ],
          output: { role: "assistant", content: `I will call ${SECRETS.phoneUs}; order 1042`, tool_calls: [{ arguments: JSON.stringify({ iban: SECRETS.iban, token: SECRETS.tokenValue }) }] },
        });
      });
      recordLLM({
        provider: "anthropic",
        model: "claude-sonnet-4",
        startedAt: Date.now() - 20,
        endedAt: Date.now(),
        input: [{ role: "user", content: [{ type: "text", text: `My AWS key is ${SECRETS.aws}, Stripe ${SECRETS.stripe} with webhook ${SECRETS.stripeWebhook}, order 1042` }] }],
        output: `Noted. Your GitHub token ${SECRETS.github} is safe; thanks, Ada`,
      });
      await span("charge", async (s) => {
        s.recordException(new Error(`card ${SECRETS.card} declined for ${SECRETS.email}`));
      });
      const failing = startSpan("notify", { parent: root, attributes: { "slack.webhook.token": SECRETS.slack } });
      failing.setStatus("error", `could not reach ${SECRETS.email2}`);
      failing.end();
    });
  });
}

let collector: Collector | undefined;
afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

async function exportWith(redact: boolean | RedactOptions, extra: Record<string, unknown> = {}): Promise<string> {
  collector = await startCollector();
  init({ endpoint: collector.url, redact, globalAttributes: { "owner.email": SECRETS.email2 }, flushOnExit: false, scheduleDelayMs: 60_000, logger: quietLogger(), ...extra });
  await plantSecrets();
  await flush();
  expect(stats().exported).toBe(6);
  // What arrived, as its bytes read as UTF-8 and as the decoded request in OTLP/JSON form.
  const body = collector.requests.map((r) => `${r.raw}\n${JSON.stringify(r.body)}`).join("\n");
  await shutdown();
  await collector.close();
  collector = undefined;
  return body;
}

function leaks(body: string): string[] {
  return needles().filter((n) => body.includes(n) || body.includes(JSON.stringify(n).slice(1, -1)));
}

describe("redaction end to end, as an OTLP receiver on 127.0.0.1 sees it", () => {
  it("sends the planted secrets in clear without redaction (the corpus reaches the wire)", async () => {
    const body = await exportWith(false);
    // The PEM key travels JSON-escaped twice; its one-line body stands for it.
    const secrets = [...Object.values(SECRETS).filter((v) => !v.includes("\n")), PEM_BODY];
    expect(leaks(body).filter((n) => secrets.includes(n)).sort()).toEqual(secrets.sort());
  });

  it.each<[string, RedactOptions | true]>([
    ["mask", true],
    ["remove", { mode: "remove" }],
    ["hash", { mode: "hash", salt: "pepper-for-tests" }],
  ])("lets no secret through in %s mode and keeps the text around them", async (mode, redact) => {
    const body = await exportWith(redact);
    expect(leaks(body)).toEqual([]);
    for (const text of CONTEXT) expect(body, text).toContain(text);
    if (mode === "mask") {
      for (const kind of ["email", "phone", "card", "iban", "openai", "anthropic", "aws", "google", "stripe", "github", "slack", "bearer", "jwt", "pem"]) expect(body, kind).toContain(`[REDACTED:${kind}]`);
      expect(body).toContain("[REDACTED]");
    }
    if (mode === "remove") expect(body).not.toContain("REDACTED");
    if (mode === "hash") expect(body).toMatch(/\[sha256:[0-9a-f]{16}\]/);
  });

  it("redacts before a processor sees the trace in safety order, and redacts what processors add in efficiency order", async () => {
    const seen: string[] = [];
    const processor = (trace: FinishedTrace): void => {
      for (const s of trace.spans) seen.push(JSON.stringify(s.attributes));
      if (trace.root) trace.root.attributes["processor.note"] = `escalate to ${SECRETS.email}`;
    };
    const safe = await exportWith(true, { processors: [processor] });
    expect(leaks(seen.join("\n"))).toEqual([]);
    expect(safe).toContain(`escalate to ${SECRETS.email}`);

    seen.length = 0;
    const efficient = await exportWith(true, { processors: [processor], processorOrder: "efficiency" });
    expect(leaks(seen.join("\n")).length).toBeGreaterThan(0);
    expect(leaks(efficient)).toEqual([]);
    expect(efficient).toContain("escalate to [REDACTED:email]");
  });

  it("gives the same hash for the same value and salt, and a different one for another salt", async () => {
    const hashOf = (body: string): string => {
      const m = /"user\.id","value":\{"stringValue":"(\[sha256:[0-9a-f]{16}\])"/.exec(body);
      if (!m) throw new Error("no hashed user.id in the export");
      return m[1] as string;
    };
    const first = hashOf(await exportWith({ mode: "hash", salt: "salt-number-one" }));
    const again = hashOf(await exportWith({ mode: "hash", salt: "salt-number-one" }));
    const other = hashOf(await exportWith({ mode: "hash", salt: "salt-number-two" }));
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });
});

describe("Google and Stripe keys", () => {
  it("masks Google API keys and Stripe secret, restricted and webhook keys, keeps publishable keys, and can be chosen by name", async () => {
    const memory = createMemoryExporter();
    init({ redact: { builtinPatterns: ["google", "stripe"] }, exporters: [memory], flushOnExit: false, logger: quietLogger() });
    span("checkout", (s) => {
      s.setAttributes({
        "checkout.client": `Stripe("pk_live_51Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzX9cV8bN7m")`,
        "checkout.server": JSON.stringify({ stripe: SECRETS.stripe, restricted: SECRETS.stripeRestricted, webhook: SECRETS.stripeWebhook, currency: "eur" }),
        "checkout.map": `<iframe src="https://www.google.com/maps/embed/v1/place?key=${SECRETS.google}&q=Paris">`,
        "checkout.customer": SECRETS.email,
      });
    });
    await flush();
    expect(memory.spans[0]?.attributes).toEqual({
      "checkout.client": `Stripe("pk_live_51Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzX9cV8bN7m")`,
      "checkout.server": '{"stripe":"[REDACTED:stripe]","restricted":"[REDACTED:stripe]","webhook":"[REDACTED:stripe]","currency":"eur"}',
      "checkout.map": '<iframe src="https://www.google.com/maps/embed/v1/place?key=[REDACTED:google]&q=Paris">',
      // Only the patterns named run.
      "checkout.customer": SECRETS.email,
    });
  });
});

describe("secrets a length limit cuts in half", () => {
  // Redaction runs at export on values cut when they were set: the cut must not leave the part of
  // a secret no pattern can recognise any more.
  const CUT = ["email", "phone", "phoneUs", "card", "cardDigits", "iban", "openai", "anthropic", "aws", "google", "stripe", "stripeRestricted", "stripeWebhook", "github", "slack", "jwt"] as const;
  const LIMIT = 200;
  // n characters of text that ends in a space, and the secret after it.
  const pad = (n: number): string => `${"lorem ipsum ".repeat(20).slice(0, n - 1)} `;

  it("leaves out the word a cut falls in, and the digit groups before it, in attributes and captured input", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, redact: true, maxAttributeValueLength: LIMIT, flushOnExit: false, scheduleDelayMs: 60_000, logger: quietLogger() });
    const cases: [string, number][] = [];
    for (const name of CUT) {
      const secret = SECRETS[name];
      for (let k = 1; k < secret.length && k <= 60; k++) {
        cases.push([name, k]);
        const text = `${pad(LIMIT - k)}${secret} and more words after it`;
        span(`attr ${name} ${k}`, (s) => {
          s.setAttribute("note", text);
        });
        observe((_prompt: string) => "ok", { name: `input ${name} ${k}` })(text);
      }
    }
    await flush();
    const spans = collector.requests.flatMap((r) => r.body?.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)) ?? []);
    expect(spans).toHaveLength(cases.length * 2);
    const raw = collector.requests.map((r) => r.raw).join("\n");
    for (const name of CUT) expect(raw, name).not.toContain(SECRETS[name].slice(0, 4));
    for (const s of spans) {
      const note = s.attributes.find((a) => a.key === "note")?.value.stringValue;
      const input = s.attributes.find((a) => a.key === "input.value")?.value.stringValue;
      // A single string argument is captured as itself, cut with a "…".
      const value = note ?? input;
      expect(typeof value).toBe("string");
      // What is left of the secret past the text before it: nothing but a sign, an IBAN's country
      // code or the cut's "…".
      const k = Number(s.name.split(" ").at(-1));
      const rest = (value as string).slice(LIMIT - k);
      // A captured value shows it was cut.
      expect(rest, s.name).toMatch(note === undefined ? /^(?:[+(]|DE)?…$/ : /^(?:[+(]|DE)?$/);
    }
  });

  const only = (memory: ReturnType<typeof createMemoryExporter>, name: string) => {
    const found = memory.spans.filter((x) => x.name === name);
    expect(found).toHaveLength(1);
    return found[0] as (typeof found)[number];
  };

  it("keeps what is no secret a pattern knows: a long first word, media cut short, a cut JSON's marker; and cuts as usual with key rules only", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], redact: true, maxAttributeValueLength: LIMIT, flushOnExit: false, logger: quietLogger() });
    const url = `https://files.example.com/${"a1b2".repeat(100)}`;
    const png = `data:image/png;base64,${btoa(`\x89PNG\r\n\x1a\n${"\x00".repeat(600)}`)}`;
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJ${"c3ViIjoiYWRhIiwicm9sZSI6ImFkbWluIn0".repeat(12)}.sig`;
    span("long words", (s) => {
      s.setAttributes({ url, png, said: `token ${jwt}` });
    });
    observe((_doc: { note: string }) => "ok", { name: "json" })({ note: `xx ${"internationalization considerations ".repeat(8)}` });
    await flush();
    const long = only(memory, "long words").attributes;
    expect(long.url).toBe(url.slice(0, LIMIT));
    expect(long.png).toMatch(/^\[media image\/png, ≥\d+ bytes\]$/);
    // Longer than any word left out: the token's start is recognised without its signature.
    expect(long.said).toBe("token [REDACTED:jwt]");
    const json = only(memory, "json").attributes["input.value"] as string;
    expect(JSON.parse(json).note).toMatch(/ …$/);
    await shutdown();

    const keysOnly = createMemoryExporter();
    init({ exporters: [keysOnly], redact: { builtinPatterns: false, keys: ["password"] }, maxAttributeValueLength: LIMIT, flushOnExit: false, logger: quietLogger() });
    span("keys only", (s) => {
      s.setAttribute("note", `${pad(LIMIT - 5)}${SECRETS.card}`);
    });
    await flush();
    expect(only(keysOnly, "keys only").attributes.note).toBe(`${pad(LIMIT - 5)}4111 `);
  });

  it("cuts at the limit exactly when redaction is off", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], maxAttributeValueLength: LIMIT, flushOnExit: false, logger: quietLogger() });
    span("plain", (s) => s.setAttribute("note", `${pad(LIMIT - 5)}${SECRETS.card}`));
    await flush();
    expect(memory.spans[0]?.attributes.note).toBe(`${pad(LIMIT - 5)}4111 `);
  });
});
