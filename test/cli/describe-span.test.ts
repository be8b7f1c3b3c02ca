import { describe, expect, it } from "vitest";
import { spanCategory } from "../../src/cli/viewer/describe-span.js";

type ViewerSpan = Parameters<typeof spanCategory>[0];
const withAttributes = (attributes: Record<string, unknown>): ViewerSpan => ({ attributes }) as unknown as ViewerSpan;

describe("the viewer's span category", () => {
  it("comes from the OpenInference kind, then the GenAI operation, then HTTP and model hints", () => {
    expect(spanCategory(withAttributes({ "openinference.span.kind": "tool" }))).toBe("tool");
    expect(spanCategory(withAttributes({ "gen_ai.operation.name": "chat" }))).toBe("llm");
    expect(spanCategory(withAttributes({ "http.request.method": "GET" }))).toBe("http");
    expect(spanCategory(withAttributes({}))).toBe("span");
  });

  it("ignores kinds and operations that only Object.prototype knows, from any sender", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(spanCategory(withAttributes({ "openinference.span.kind": name, "gen_ai.operation.name": name }))).toBe("span");
    }
  });
});
