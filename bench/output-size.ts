import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { encodeOtlpJson } from "../src/runtimes/node/index.js";
import type { EncodeFixture } from "./encode.js";

interface OtlpKeyValue {
  key: string;
}
interface OtlpSpan {
  parentSpanId?: string;
  attributes?: OtlpKeyValue[];
  events?: { attributes?: OtlpKeyValue[] }[];
}
interface OtlpRequest {
  resourceSpans: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans: { spans?: OtlpSpan[] }[] }[];
}

/** What a request carries, to check both encoders were given the same data. */
interface Shape {
  spans: number;
  children: number;
  attributes: number;
  events: number;
  resourceAttributes: number;
}

function shapeOf(json: string): Shape {
  const request = JSON.parse(json) as OtlpRequest;
  const shape: Shape = { spans: 0, children: 0, attributes: 0, events: 0, resourceAttributes: 0 };
  for (const rs of request.resourceSpans) {
    shape.resourceAttributes += rs.resource?.attributes?.length ?? 0;
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans ?? []) {
        shape.spans++;
        if (s.parentSpanId) shape.children++;
        shape.attributes += s.attributes?.length ?? 0;
        shape.events += s.events?.length ?? 0;
      }
    }
  }
  return shape;
}

/** UTF-8 size of each SDK's OTLP/JSON request, and whether both carry the same spans. */
export interface OutputSizes {
  readonly spanwiseBytes: number;
  readonly otelBytes: number;
  /** Set when the two requests differ in spans, parents, attributes or events. */
  readonly mismatch: string | undefined;
}

/**
 * Encodes the fixture once with each SDK, measures the UTF-8 bytes and compares the content.
 *
 * @example
 * const { spanwiseBytes, otelBytes, mismatch } = outputSizes(await recordFixture());
 */
export function outputSizes(fixture: EncodeFixture): OutputSizes {
  const ours = encodeOtlpJson(fixture.batch);
  const theirs = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(fixture.otelSpans));
  const a = JSON.stringify(shapeOf(ours));
  const b = JSON.stringify(shapeOf(theirs));
  return {
    spanwiseBytes: Buffer.byteLength(ours, "utf8"),
    otelBytes: Buffer.byteLength(theirs, "utf8"),
    mismatch: a === b ? undefined : `spanwise ${a} vs OpenTelemetry ${b}`,
  };
}
