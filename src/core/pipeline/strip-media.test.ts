import { describe, expect, it } from "vitest";
import { stripMedia } from "./strip-media.js";

const b64 = (bytes: string): string => btoa(bytes);
const LIMIT = 16_384;
const PNG = b64(`\x89PNG\r\n\x1a\n${"\x00".repeat(2992)}`);

describe("media stripping", () => {
  it("replaces a data URL with its type and decoded size", () => {
    const text = JSON.stringify({ type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } });
    expect(JSON.parse(stripMedia(text, LIMIT))).toEqual({ type: "image_url", image_url: { url: "[media image/png, 3000 bytes]" } });
  });

  it("keeps data URL parameters out of the type", () => {
    expect(stripMedia(`see data:audio/wav;codec=pcm;base64,${b64("RIFF....WAVEfmt ".padEnd(600, "x"))} end`, LIMIT)).toBe("see [media audio/wav, 600 bytes] end");
  });

  it.each([
    ["image/jpeg", "\xff\xd8\xff\xe0"],
    ["image/gif", "GIF89a"],
    ["image/webp", "RIFF\x00\x00\x00\x00WEBPVP8 "],
    ["audio/wav", "RIFF\x00\x00\x00\x00WAVEfmt "],
    ["audio/mpeg", "ID3\x03"],
    ["audio/ogg", "OggS"],
    ["application/pdf", "%PDF-1.7"],
    ["video/mp4", "\x00\x00\x00\x18ftypmp42"],
    ["application/octet-stream", "\x01\x02\x03\x04"],
  ])("names bare base64 %s from its first bytes", (type, head) => {
    const data = b64(head.padEnd(900, "\x07"));
    const text = JSON.stringify({ type: "image", source: { type: "base64", media_type: "x", data } });
    expect(JSON.parse(stripMedia(text, LIMIT)).source.data).toBe(`[media ${type}, 900 bytes]`);
  });

  it("marks data cut short by the value length limit", () => {
    const cut = `{"input_audio":{"data":"${b64("RIFF\x00\x00\x00\x00WAVE".padEnd(3000, "z")).slice(0, 1200)}`;
    expect(stripMedia(cut, cut.length)).toBe('{"input_audio":{"data":"[media audio/wav, ≥900 bytes]');
  });

  it("does not mark whole data as cut where it ends a value shorter than the limit", () => {
    expect(stripMedia(`data:image/png;base64,${PNG}`, LIMIT)).toBe("[media image/png, 3000 bytes]");
    expect(stripMedia(`look: ${PNG}`, LIMIT)).toBe("look: [media image/png, 3000 bytes]");
    expect(stripMedia(`data:image/png;base64,${PNG.slice(0, 2000)}…`, LIMIT)).toBe("[media image/png, ≥1500 bytes]…");
  });

  it("leaves prose, ids, keys and short base64 alone", () => {
    const text = `a sentence, a trace id 4bf92f3577b34da6a3ce929d0e0e4736, a short ${b64("hello world")} and ${"word ".repeat(200)}`;
    expect(stripMedia(text, LIMIT)).toBe(text);
  });
});
