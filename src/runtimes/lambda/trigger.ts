import type { Attributes } from "../../core/attributes.js";
import type { RemoteSpanContext } from "../../core/propagation.js";
import type { SpanKind, SpanLinkInput } from "../../core/span.js";
import { dynamoDbTrigger } from "./dynamodb-trigger.js";
import { eventBridgeTrigger } from "./event-bridge-trigger.js";
import { httpTrigger } from "./http-trigger.js";
import { kinesisTrigger } from "./kinesis-trigger.js";
import { messagingTrigger } from "./messaging-trigger.js";
import { obj } from "./read-event.js";
import { s3Trigger } from "./s3-trigger.js";

/** What the event says about why the function runs: span name, kind, attributes, parent, links. */
export interface Trigger {
  /** Span name; undefined for the function name. */
  readonly name: string | undefined;
  readonly spanKind: SpanKind;
  /** Includes `faas.trigger`. */
  readonly attributes: Attributes;
  readonly parent: RemoteSpanContext | undefined;
  readonly links: readonly SpanLinkInput[];
  /** HTTP triggers: how a result becomes a status code ("rest" needs `statusCode`, "http" defaults to 200). */
  readonly http: "rest" | "http" | undefined;
}

const OTHER: Trigger = { name: undefined, spanKind: "server", attributes: { "faas.trigger": "other" }, parent: undefined, links: [], http: undefined };

/**
 * Recognises the event of API Gateway (REST and HTTP APIs), Function URLs, ALB, SQS, SNS,
 * EventBridge, S3, DynamoDB Streams and Kinesis Data Streams; anything else, a malformed record
 * of theirs included, is `faas.trigger=other`. Never throws on odd events.
 *
 * @param event - the invocation's event, as the runtime passed it
 * @returns the trigger, or the generic one
 * @example
 * const trigger = detectTrigger(event);
 */
export function detectTrigger(event: unknown): Trigger {
  const e = obj(event);
  if (e === undefined) return OTHER;
  try {
    return httpTrigger(e) ?? messagingTrigger(e) ?? s3Trigger(e) ?? dynamoDbTrigger(e) ?? kinesisTrigger(e) ?? eventBridgeTrigger(e) ?? OTHER;
  } catch {
    // A getter that throws or a proxy: the invocation is traced without trigger details.
    return OTHER;
  }
}
