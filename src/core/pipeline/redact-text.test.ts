import { describe, expect, it } from "vitest";
import { createKeyRule } from "./redact-keys.js";
import { BUILTIN_PATTERN_NAMES, builtinPatterns, ibanLength, luhn } from "./redact-patterns.js";
import { type TextRedactor, createTextRedactor } from "./redact-text.js";

const mask = (kind: string): string => (kind === "key" ? "[REDACTED]" : `[REDACTED:${kind}]`);

function redactor(options: { keys?: (string | RegExp)[]; patterns?: { name: string; pattern: RegExp }[]; remove?: boolean; names?: typeof BUILTIN_PATTERN_NAMES } = {}): TextRedactor {
  return createTextRedactor({
    builtin: builtinPatterns(options.names ?? BUILTIN_PATTERN_NAMES),
    patterns: options.patterns ?? [],
    keyRule: createKeyRule(options.keys ?? []),
    replace: options.remove ? () => "" : mask,
    removeWhole: options.remove === true,
    cache: true,
  });
}

const r = redactor();

describe("built-in patterns", () => {
  it.each([
    ["email", "write to ada.lovelace+ai@mail.example.co.uk today", "write to [REDACTED:email] today"],
    ["international phone", "call +1 (555) 123-4567 now", "call [REDACTED:phone] now"],
    ["UK phone", "ring +44 20 7946 0958 or 020 7946 0958.", "ring [REDACTED:phone] or [REDACTED:phone]."],
    ["French phone", "portable 06 12 34 56 78 merci", "portable [REDACTED:phone] merci"],
    ["US phone", "dial 555-123-4567 or (555) 123-4567", "dial [REDACTED:phone] or [REDACTED:phone]"],
    ["card with spaces", "card 4111 1111 1111 1111 exp 12/29", "card [REDACTED:card] exp 12/29"],
    ["Amex", "amex 378282246310005!", "amex [REDACTED:card]!"],
    ["card with dashes", "5555-5555-5555-4444", "[REDACTED:card]"],
    ["IBAN grouped", "pay DE89 3704 0044 0532 0130 00 by Friday", "pay [REDACTED:iban] by Friday"],
    ["IBAN compact", "IBAN GB82WEST12345698765432.", "IBAN [REDACTED:iban]."],
    ["IBAN followed by a capitalised word", "DE89370400440532013000 AND more", "[REDACTED:iban] AND more"],
    ["OpenAI key", "key sk-proj-Abc123def456ghi789jkl012mno", "key [REDACTED:openai]"],
    ["Anthropic key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123-_AA", "[REDACTED:anthropic]"],
    ["AWS access key", "aws AKIAIOSFODNN7EXAMPLE ok", "aws [REDACTED:aws] ok"],
    ["GitHub token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789 and github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "[REDACTED:github] and [REDACTED:github]"],
    ["Slack token", "xoxb-123456789012-1234567890123-abcdefABCDEF", "[REDACTED:slack]"],
    ["Slack webhook", "post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "post to [REDACTED:slack]"],
    ["bearer token", "Authorization: Bearer abc.def-ghi_jkl12345 sent", "Authorization: Bearer [REDACTED:bearer] sent"],
    ["JWT", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end", "token [REDACTED:jwt] end"],
    ["PEM private key", "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----\nafter", "key:\n[REDACTED:pem]\nafter"],
    ["PEM key cut by the length limit", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAA", "[REDACTED:pem]"],
    ["password in prose", "my password: hunter22, thanks", "my password: [REDACTED:credential], thanks"],
    ["api key in a query string", "GET /v1?api_key=abc123def&page=2", "GET /v1?api_key=[REDACTED:credential]&page=2"],
    ["credentials named as environment variables", "DB_PASSWORD=hunter22 MY_API_KEY=abcdef123456 AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENG GITHUB_TOKEN=abc123def456", "DB_PASSWORD=[REDACTED:credential] MY_API_KEY=[REDACTED:credential] AWS_SECRET_ACCESS_KEY=[REDACTED:credential] GITHUB_TOKEN=[REDACTED:credential]"],
    ["credentials in prefixed keys", "{'db_password': 'hunter22'} user_password: hunter22", "{'db_password': '[REDACTED:credential]'} user_password: [REDACTED:credential]"],
    ["E.164 phone without separators", "sms +14155552671", "sms [REDACTED:phone]"],
    ["legacy OpenAI key", "sk-Abc123def456ghi789jkl012mno345pqr678stu901vw", "[REDACTED:openai]"],
    ["Google API key in prose", "use AIzaSyFakeSpanwiseKey_0123456789-abcdef for Maps.", "use [REDACTED:google] for Maps."],
    ["Google API key in a URL", "GET https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=AIzaSyFakeSpanwiseKey_0123456789-abcdef&language=fr", "GET https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=[REDACTED:google]&language=fr"],
    ["Google API key in JSON", '{"maps":{"key":"AIzaSyFakeSpanwiseKey_0123456789-abcdef"},"zoom":3}', '{"maps":{"key":"[REDACTED:google]"},"zoom":3}'],
    ["Stripe secret keys in prose", "live sk_live_51NzFakeSpanwiseKey0123456789abcdEF, test sk_test_51NzFakeSpanwiseKey0123456789abcdEF.", "live [REDACTED:stripe], test [REDACTED:stripe]."],
    ["Stripe restricted keys", "rk_live_51NzFakeRestricted0123456789ABCDEFGH or rk_test_51NzFakeRestricted0123456789ABCDEFGH", "[REDACTED:stripe] or [REDACTED:stripe]"],
    ["a Stripe key as an environment variable", "STRIPE_SECRET_KEY=sk_live_51NzFakeSpanwiseKey0123456789abcdEF npm start", "STRIPE_SECRET_KEY=[REDACTED:stripe] npm start"],
    ["a Stripe key in JSON", '{"stripe":"sk_test_51NzFakeSpanwiseKey0123456789abcdEF","currency":"eur"}', '{"stripe":"[REDACTED:stripe]","currency":"eur"}'],
    ["a Stripe key as curl's user", "curl https://api.stripe.com/v1/charges -u sk_test_51NzFakeSpanwiseKey0123456789abcdEF: -d amount=2000", "curl https://api.stripe.com/v1/charges -u [REDACTED:stripe]: -d amount=2000"],
    ["a Stripe key sent as a bearer token", "Authorization: Bearer sk_live_51NzFakeSpanwiseKey0123456789abcdEF", "Authorization: Bearer [REDACTED:stripe]"],
    ["Stripe webhook signing secrets", "whsec_FakeSpanwiseWebhookSecret0123456789ab and whsec_Zm9yIHNwYW53aXNlIHRlc3RzIG9ubHk+/Q==", "[REDACTED:stripe] and [REDACTED:stripe]"],
  ])("masks %s and keeps the text around it", (_label, input, expected) => {
    expect(r.text(input)).toBe(expected);
  });

  it.each([
    ["ISO dates", "on 2024-01-15 and 01.02.2024 and 06/15/2024"],
    ["a date and a time", "03.12.2024 10:30"],
    ["versions and addresses", "v1.2.3 at 192.168.1.100:8080"],
    ["a UUID", "123e4567-e89b-12d3-a456-426614174000"],
    ["epoch milliseconds", "ts=1718000000000"],
    ["a trace id", "4bf92f3577b34da6a3ce929d0e0e4736"],
    ["token counts", "tokens: 120 in, 450 out"],
    ["a card number failing Luhn", "4111 1111 1111 1112"],
    ["an IBAN failing mod 97", "GB82 WEST 1234 5698 7654 33"],
    ["a model name", "gpt-4o-mini-2024-07-18"],
    ["the word bearer alone", "the bearer of bad news"],
    ["math", "x+5 = 10 and 3*4"],
    ["signed numbers", "delta +1.23456789, drift +0.12345678, count +12345678"],
    ["a package name that starts like an OpenAI key", "pip install sk-learn-pipeline-v2-feature-engineering"],
    ["token counts under token-named keys", "max_tokens: 1024, prompt_token_count: 1234"],
    ["a list of sizes spaced like a phone number", "dimensions 512 768 1024"],
    ["a word that starts like a Google key", "the AIzaB prefix, AIza alone"],
    ["Google-like keys one character short and one too long", "AIzaSyFakeSpanwiseKey_0123456789-abcde AIzaSyFakeSpanwiseKey_0123456789-abcdefg"],
    ["Stripe key prefixes without a key", "set sk_live or sk_test_ in the dashboard, rk_live_short123, whsec_ and whsec_tooShort123"],
    ["identifiers that contain a Stripe prefix", "task_test_runner_configuration_value_long desk_test_abcdefghijklmnopqrstuvwxyz0123"],
    ["a Stripe publishable key, which is public by design", "Stripe(\"pk_live_51NzFakeSpanwiseKey0123456789abcdEF\")"],
    ["Stripe object ids", "cus_NffrFeUfNV2Hib charged ch_3MmlLrLkdIwHu7ix0snN0B15 via pi_3MtwBwLkdIwHu7ix28a3tqPa"],
  ])("leaves %s alone", (_label, input) => {
    expect(r.text(input)).toBe(input);
  });

  it("checks Luhn and IBAN checksums", () => {
    expect(luhn("4111111111111111")).toBe(true);
    expect(luhn("4111111111111112")).toBe(false);
    expect(luhn("123")).toBe(false);
    expect(ibanLength("DE89 3704 0044 0532 0130 00")).toBe(27);
    expect(ibanLength("DE89 3704 0044 0532 0130 00 ABCD")).toBe(27);
    expect(ibanLength("DE00 3704 0044 0532 0130 00")).toBe(0);
  });

  it("runs only the selected built-in patterns", () => {
    const emailOnly = redactor({ names: ["email"] });
    expect(emailOnly.text("ada@example.com 4111 1111 1111 1111")).toBe("[REDACTED:email] 4111 1111 1111 1111");
  });

  it("stays linear on a long run of word characters", () => {
    const long = "a".repeat(200_000);
    expect(r.text(long)).toBe(long);
  });

  it("stays linear on many near misses of the Google and Stripe patterns", () => {
    const misses = `${"AIza".repeat(20_000)} ${"sk_live_abc_".repeat(20_000)} ${"whsec_".repeat(20_000)} ${`AIza${"x".repeat(34)} `.repeat(5_000)}`;
    expect(r.text(misses)).toBe(misses);
  });
});

describe("key rules", () => {
  const rule = createKeyRule(["ssn", /^internal\./]);

  it.each(["password", "db_password", "http.request.header.authorization", "cookie", "set-cookie", "api_key", "x-api-key", "apiKey", "OPENAI_API_KEY", "access_token", "refreshToken", "client_secret", "oauth", "user.ssn", "customerSSN", "internal.notes"])(
    "redacts the value under %s",
    (key) => expect(rule(key)).toBe(true),
  );

  it.each(["gen_ai.usage.input_tokens", "llm.token_count.total", "llm.token_count.prompt", "max_tokens", "tokens", "author", "session.id", "user.id", "cache_key", "input.value"])(
    "leaves %s alone",
    (key) => expect(rule(key)).toBe(false),
  );
});

describe("JSON text", () => {
  it("redacts values under sensitive keys at any depth, patterns in every string, and nested JSON strings", () => {
    const input = JSON.stringify({
      user: "bob",
      auth: { password: "hunter2", otp: 123456 },
      headers: { Authorization: "Basic Ym9iOmh1bnRlcjI=" },
      messages: [{ role: "user", content: "my card is 4111 1111 1111 1111, mail me at bob@example.com" }],
      nested: JSON.stringify({ token: "t0ps3cret-value", note: "call +44 20 7946 0958" }),
      amount: 4111111111111111,
      count: 42,
    });
    const out = JSON.parse(r.text(input)) as Record<string, unknown>;
    expect(out.user).toBe("bob");
    expect(out.auth).toBe("[REDACTED]");
    expect(out.headers).toEqual({ Authorization: "[REDACTED]" });
    expect(out.messages).toEqual([{ role: "user", content: "my card is [REDACTED:card], mail me at [REDACTED:email]" }]);
    expect(JSON.parse(out.nested as string)).toEqual({ token: "[REDACTED]", note: "call [REDACTED:phone]" });
    expect(out.amount).toBe("[REDACTED:card]");
    expect(out.count).toBe(42);
  });

  it("keeps integers past 2^53 exact in JSON it redacts", () => {
    const json = '{"order_id": 12345678901234567890, "password": "hunter22", "n": 9007199254740993}';
    const out = r.text(json);
    expect(out).toContain("12345678901234567890");
    expect(out).toContain("9007199254740993");
    expect(out).not.toContain("hunter22");
  });

  it("keeps JSON that needs nothing redacted byte for byte", () => {
    const input = '{ "tokens": 12,\n  "text": "hello" }';
    expect(r.text(input)).toBe(input);
  });

  it("redacts sensitive keys in JSON cut short by the length limit", () => {
    const out = r.text('{"user":"bob","password":"hunter2","api_key":"abc-123","text":"mail bob@example.com and then som');
    expect(out).toBe('{"user":"bob","password":"[REDACTED]","api_key":"[REDACTED]","text":"mail [REDACTED:email] and then som');
  });

  it("replaces a whole value of any type under a sensitive key", () => {
    expect(r.whole(123456789012345678901234567890n)).toBe("[REDACTED]");
    expect(r.whole({ nested: true })).toBe("[REDACTED]");
    expect(r.whole(null)).toBe("[REDACTED]");
  });

  it("removes keys and found text in remove mode", () => {
    const rm = redactor({ remove: true });
    expect(JSON.parse(rm.text(JSON.stringify({ password: "x", note: "to ada@example.com!" })))).toEqual({ note: "to !" });
    expect(rm.whole("secret")).toBeUndefined();
  });

  it("applies user patterns after the built-in ones", () => {
    const custom = redactor({ patterns: [{ name: "order", pattern: /ORD-\d{6}/g }] });
    expect(custom.text("order ORD-123456 for ada@example.com")).toBe("order [REDACTED:order] for [REDACTED:email]");
  });
});
