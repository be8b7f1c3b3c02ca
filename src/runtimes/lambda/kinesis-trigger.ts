import type { Attributes } from "../../core/attributes.js";
import { parseArn } from "./parse-arn.js";
import { type Json, obj, str } from "./read-event.js";
import type { Trigger } from "./trigger.js";

/**
 * Kinesis Data Streams events: a consumer span `process <stream>` with messaging attributes.
 * OpenTelemetry registers no `messaging.system` value for Kinesis; `aws.kinesis` follows the
 * registered `aws.sns`. A batch comes from one stream and one shard, named by its first record
 * (`messaging.destination.name`, `aws.kinesis.stream_name`,
 * `messaging.destination.partition.id`); a lone record's sequence number is its
 * `messaging.message.id`. Records carry no trace context, so there is no parent and no link.
 * Recognised by the first record's `eventSource` and a stream ARN in its `eventSourceARN`.
 *
 * @param e - the event as an object
 * @returns the trigger, or undefined when the event is not a Kinesis batch
 * @example
 * kinesisTrigger({ Records: [{ eventSource: "aws:kinesis", eventID: "shardId-000000000006:4959", kinesis: { sequenceNumber: "4959" }, eventSourceARN: "arn:aws:kinesis:eu-west-1:1:stream/clickstream" }] })
 */
export function kinesisTrigger(e: Json): Trigger | undefined {
  const records = Array.isArray(e.Records) ? e.Records : [];
  const first = obj(records[0]);
  if (first?.eventSource !== "aws:kinesis") return undefined;
  const stream = streamName(first.eventSourceARN);
  if (stream === undefined) return undefined;
  const attributes: Attributes = {
    "faas.trigger": "pubsub",
    "aws.lambda.trigger": "kinesis",
    "messaging.system": "aws.kinesis",
    "messaging.operation.type": "process",
    "messaging.operation.name": "process",
    "messaging.destination.name": stream,
    "messaging.batch.message_count": records.length,
    "aws.kinesis.stream_name": stream,
  };
  // eventID is "<shard id>:<sequence number>".
  const shard = str(first.eventID)?.split(":")[0];
  if (shard?.startsWith("shardId-")) attributes["messaging.destination.partition.id"] = shard;
  const sequence = str(obj(first.kinesis)?.sequenceNumber);
  if (records.length === 1 && sequence) attributes["messaging.message.id"] = sequence;
  return { name: `process ${stream}`, spanKind: "consumer", attributes, parent: undefined, links: [], http: undefined };
}

/** The stream of `arn:aws:kinesis:<region>:<account>:stream/<name>`, also followed by `/consumer/<consumer>:<created>`. */
function streamName(value: unknown): string | undefined {
  const arn = parseArn(value);
  if (arn?.service !== "kinesis") return undefined;
  const [type, name] = arn.resource.split("/");
  return type === "stream" ? str(name) : undefined;
}
