import type { Attributes } from "../../core/attributes.js";
import { type RemoteSpanContext, extractFrom } from "../../core/propagation.js";
import type { SpanLinkInput } from "../../core/span.js";
import { parseArn } from "./parse-arn.js";
import { type Json, obj, str } from "./read-event.js";
import type { Trigger } from "./trigger.js";
import { xrayContext } from "./xray-context.js";

/** An SNS notification delivered through SQS without raw delivery is JSON of about this size at most. */
const MAX_ENVELOPE = 262_144;

/**
 * SQS and SNS events: messaging attributes and each message's trace context, read from its
 * `traceparent` / `tracestate` / `baggage` message attributes (for SNS-to-SQS without raw
 * delivery, from the SNS envelope in the body). One context becomes the parent; a batch carrying
 * several becomes a new trace with one link per message, as OpenTelemetry's messaging
 * conventions describe for batch processing. An SQS message with no W3C context but an X-Ray
 * `AWSTraceHeader` is linked, never the parent: X-Ray samples few traces, and a parent's
 * unsampled flag would turn the invocation's tracing off.
 *
 * @param e - the event as an object
 * @returns the trigger, or undefined when the event is neither SQS nor SNS
 * @example
 * messagingTrigger({ Records: [{ eventSource: "aws:sqs", messageId: "m1", messageAttributes: {} }] })
 */
export function messagingTrigger(e: Json): Trigger | undefined {
  const records = Array.isArray(e.Records) ? e.Records.map(obj).filter((r): r is Json => r !== undefined) : [];
  const first = records[0];
  if (first === undefined) return undefined;
  const sqs = first.eventSource === "aws:sqs";
  if (!sqs && first.EventSource !== "aws:sns") return undefined;

  const messages = records.map((r) => (sqs ? sqsMessage(r) : snsMessage(r)));
  const sources = new Set(messages.map((m) => m.source).filter((s): s is string => s !== undefined));
  // The queue or topic name: what follows the account in its ARN.
  const destination = sources.size === 1 ? parseArn([...sources][0])?.resource : undefined;
  const attributes: Attributes = {
    "faas.trigger": "pubsub",
    "aws.lambda.trigger": sqs ? "sqs" : "sns",
    "messaging.system": sqs ? "aws_sqs" : "aws.sns",
    "messaging.operation.type": "process",
    "messaging.operation.name": "process",
    "messaging.batch.message_count": messages.length,
  };
  if (destination) attributes["messaging.destination.name"] = destination;
  if (!sqs && sources.size === 1) attributes["aws.sns.topic.arn"] = [...sources][0] as string;
  if (messages.length === 1 && messages[0]?.id) attributes["messaging.message.id"] = messages[0].id;

  const distinct = new Map<string, RemoteSpanContext>();
  for (const m of messages) if (m.context) distinct.set(`${m.context.traceId}-${m.context.spanId}`, m.context);
  const parent = distinct.size === 1 ? [...distinct.values()][0] : undefined;
  const links: SpanLinkInput[] = [];
  for (const m of messages) {
    // Every message's own context when there is no parent; besides a parent, only X-Ray's.
    const context = parent === undefined ? (m.context ?? m.xray) : m.context === undefined ? m.xray : undefined;
    if (context) links.push({ context, attributes: m.id ? { "messaging.message.id": m.id } : {} });
  }
  return { name: `process ${destination ?? "multiple_sources"}`, spanKind: "consumer", attributes, parent, links, http: undefined };
}

interface Message {
  readonly id: string | undefined;
  readonly source: string | undefined;
  readonly context: RemoteSpanContext | undefined;
  /** The X-Ray context of an SQS message without a W3C one (its `AWSTraceHeader`). */
  readonly xray?: RemoteSpanContext | undefined;
}

function sqsMessage(r: Json): Message {
  const attrs = obj(r.messageAttributes);
  const read = (name: string): string | undefined => str(obj(findKey(attrs, name))?.stringValue);
  let context = carrierContext(read);
  if (context === undefined) {
    // SNS to SQS without raw message delivery: the trace context sits in the SNS envelope.
    const body = r.body;
    if (typeof body === "string" && body.length < MAX_ENVELOPE && body.startsWith("{") && body.includes("MessageAttributes")) {
      try {
        const envelope = obj(obj(JSON.parse(body))?.MessageAttributes);
        context = carrierContext((name) => str(obj(findKey(envelope, name))?.Value));
      } catch {
        // Not JSON after all: the message simply carries no context.
      }
    }
  }
  const xray = context === undefined ? xrayContext(obj(r.attributes)?.AWSTraceHeader) : undefined;
  return { id: str(r.messageId), source: str(r.eventSourceARN), context, xray };
}

function snsMessage(r: Json): Message {
  const sns = obj(r.Sns);
  const attrs = obj(sns?.MessageAttributes);
  return { id: str(sns?.MessageId), source: str(sns?.TopicArn), context: carrierContext((name) => str(obj(findKey(attrs, name))?.Value)) };
}

function carrierContext(read: (name: string) => string | undefined): RemoteSpanContext | undefined {
  const traceparent = read("traceparent");
  if (traceparent === undefined) return undefined;
  const carrier: Record<string, string> = { traceparent };
  const tracestate = read("tracestate");
  if (tracestate) carrier.tracestate = tracestate;
  const baggage = read("baggage");
  if (baggage) carrier.baggage = baggage;
  return extractFrom(carrier);
}

/** Message attribute names are case-sensitive on AWS, but producers differ; match any case. */
function findKey(record: Json | undefined, name: string): unknown {
  if (record === undefined) return undefined;
  if (name in record) return record[name];
  for (const key of Object.keys(record)) if (key.toLowerCase() === name) return record[key];
  return undefined;
}
