import { afterEach, describe, expect, it } from "vitest";
import { flush, init, observe, shutdown, span } from "spanwise/node";
import { type Collector, attrs, quietLogger, startCollector } from "../helpers/collector.js";
import { only, start } from "../core/helpers.js";

const b64 = (bytes: string): string => btoa(bytes);
const PNG = b64(`\x89PNG\r\n\x1a\n${"\x00".repeat(4092)}`);
const JPEG = b64(`\xff\xd8\xff\xe0${"\x01".repeat(2996)}`);
const WAV = b64(`RIFF\x00\x00\x00\x00WAVEfmt ${"\x02".repeat(1984)}`);

let collector: Collector | undefined;
afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

describe("limits at flush", () => {
  it("drops attribute keys over maxAttributeKeyLength and reports every limit in the OTLP dropped counts", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, maxAttributeKeyLength: 16, maxAttributes: 4, maxEvents: 1, maxLinks: 1, flushOnExit: false, scheduleDelayMs: 60_000, logger: quietLogger() });
    span("limited", (s) => {
      s.setAttributes({ short: 1, "a.key.of.seventeen": 2, ok: 3, also_ok: 4, "one.too.many": 5 });
      s.addEvent("first", { fine: true, "an.event.key.too.long": "x" });
      s.addEvent("second");
      const context = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 };
      s.addLink({ context, attributes: { "a.link.key.too.long": 1 } });
      s.addLink({ context });
    });
    await flush();
    const [wire] = collector.spans();
    expect(Object.keys(attrs(wire?.attributes))).toEqual(["short", "ok", "also_ok"]);
    // One attribute over the count limit at set time, one key over the length limit at flush.
    expect(wire?.droppedAttributesCount).toBe(2);
    expect(wire?.events?.map((e) => [e.name, Object.keys(attrs(e.attributes))])).toEqual([["first", ["fine"]]]);
    expect(wire?.events?.[0]?.droppedAttributesCount).toBe(1);
    expect(wire?.droppedEventsCount).toBe(1);
    expect(wire?.droppedLinksCount).toBe(1);
    expect(wire?.links?.map((l) => [l.attributes, l.droppedAttributesCount])).toEqual([[[], 1]]);
  });
});

describe("limits at flush, on a span's first few attributes", () => {
  it("strips media before and after a dropped key, and keeps every other pair in its place", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, maxAttributeKeyLength: 16, flushOnExit: false, scheduleDelayMs: 60_000, logger: quietLogger() });
    const image = `data:image/jpeg;base64,${JPEG} from the user`;
    span("with media", (s) => {
      s.setAttributes({ "media.first": image, plain: "x", "a.key.of.seventeen": 1, "media.after": image, last: 2 });
    });
    await flush();
    const [wire] = collector.spans();
    const got = attrs(wire?.attributes);
    expect(Object.keys(got)).toEqual(["media.first", "plain", "media.after", "last"]);
    expect(got["media.first"]).toEqual({ stringValue: "[media image/jpeg, 3000 bytes] from the user" });
    expect(got["media.after"]).toEqual({ stringValue: "[media image/jpeg, 3000 bytes] from the user" });
    expect([got.plain, got.last]).toEqual([{ stringValue: "x" }, { intValue: "2" }]);
    expect(wire?.droppedAttributesCount).toBe(1);
  });
});

describe("media stripping", () => {
  const ask = observe(
    async (messages: unknown[]) => ({ role: "assistant", content: [{ type: "text", text: "A cat on a mat." }, { type: "audio", audio: { data: WAV, format: "wav" } }] }),
    { name: "describe image", kind: "llm" },
  );
  const messages = [
    { role: "user", content: [{ type: "text", text: "What is in this picture?" }, { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }] },
    { role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/jpeg", data: JPEG } }] },
  ];

  it("replaces inline images and audio with a placeholder that records type and size, keeping the text", async () => {
    const { memory } = start();
    await ask(messages);
    await flush();
    const s = only(memory, "describe image");
    const input = JSON.parse(s.attributes["input.value"] as string);
    expect(input[0].content[0].text).toBe("What is in this picture?");
    expect(input[0].content[1].image_url.url).toBe("[media image/png, 4100 bytes]");
    expect(input[1].content[0].source.data).toBe("[media image/jpeg, 3000 bytes]");
    const output = JSON.parse(s.attributes["output.value"] as string);
    expect(output.content[0].text).toBe("A cat on a mat.");
    expect(output.content[1].audio).toEqual({ data: "[media audio/wav, 2000 bytes]", format: "wav" });
  });

  it("marks media as cut short only when the value limit cut it", async () => {
    const { memory } = start({ maxAttributeValueLength: 2_000 });
    await span("attach", (s) => {
      s.setAttribute("whole", `data:image/png;base64,${PNG.slice(0, 1_000)}`);
      s.setAttribute("cut", `data:image/png;base64,${PNG}`);
    });
    await flush();
    const { attributes } = only(memory, "attach");
    expect(attributes.whole).toBe("[media image/png, 750 bytes]");
    expect(attributes.cut).toBe("[media image/png, ≥1483 bytes]");
  });

  it("leaves long runs of letters or digits that are not base64 of binary data alone (a protein, hex calldata)", async () => {
    const { memory } = start();
    const protein = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWUAEN".repeat(3);
    const calldata = `0xa9059cbb000000000000000000000000${"ab12".repeat(10)}${"0".repeat(24)}${"de".repeat(240)}`;
    // Bytes of no known type, as base64: still media.
    const binary = btoa(String.fromCharCode(...Array.from({ length: 600 }, (_, i) => (i * 73 + 11) % 256)));
    // Zero bytes (silent raw audio) are all "A": media too.
    const silence = btoa("\x00".repeat(600));
    await observe(async (_q: string) => ({ protein, calldata, binary, silence }), { name: "lookup", kind: "tool" })("sequence of P12345");
    await flush();
    const output = JSON.parse(only(memory, "lookup").attributes["output.value"] as string);
    expect(output.protein).toBe(protein);
    expect(output.calldata).toBe(calldata);
    expect(output.binary).toBe("[media application/octet-stream, 600 bytes]");
    expect(output.silence).toBe("[media application/octet-stream, 600 bytes]");
  });

  it("keeps media with stripMedia: false", async () => {
    const { memory } = start({ stripMedia: false });
    await ask(messages);
    await flush();
    expect(only(memory, "describe image").attributes["input.value"]).toContain(PNG);
  });
});
