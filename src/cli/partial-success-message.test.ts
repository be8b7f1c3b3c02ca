import { describe, expect, it } from "vitest";
import { partialSuccessMessage } from "./partial-success-message.js";

const bytes = (...parts: (number | string)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "number" ? [p] : [...new TextEncoder().encode(p)])));

describe("partialSuccessMessage", () => {
  it("reads the message from a protobuf reply, past fields it does not know", () => {
    const message = "quota exceeded for tenant «acme»";
    const length = new TextEncoder().encode(message).length;
    // An unknown field 7 (varint) before partial_success; rejected_spans 300 as a two-byte varint.
    const reply = bytes(0x38, 0x05, 0x0a, 3 + 2 + length, 0x08, 0xac, 0x02, 0x12, length, message);
    expect(partialSuccessMessage(reply, "application/x-protobuf")).toBe(message);
  });

  it("reads the message from a JSON reply", () => {
    expect(partialSuccessMessage(bytes('{"partialSuccess":{"rejectedSpans":"1","errorMessage":"span too old"}}'), "application/json")).toBe("span too old");
  });

  it("is undefined for no message, an empty one, or a reply it cannot read", () => {
    expect(partialSuccessMessage(bytes(), "application/x-protobuf")).toBeUndefined();
    expect(partialSuccessMessage(bytes(0x0a, 0x02, 0x08, 0x01), "application/x-protobuf")).toBeUndefined();
    expect(partialSuccessMessage(bytes(0x0a, 0x09, 0x12), "application/x-protobuf")).toBeUndefined();
    expect(partialSuccessMessage(bytes("{}"), "application/json")).toBeUndefined();
    expect(partialSuccessMessage(bytes("null"), undefined)).toBeUndefined();
    expect(partialSuccessMessage(bytes("<html>"), "text/html")).toBeUndefined();
  });
});
