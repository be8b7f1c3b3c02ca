import type { Attributes } from "../../core/attributes.js";
import { type Json, obj, str } from "./read-event.js";
import { readStreamBatch } from "./read-stream-batch.js";
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
  // A consumer's ARN (enhanced fan-out) adds "/consumer/<name>:<created>" after the stream's.
  const batch = readStreamBatch(e, "aws:kinesis", "kinesis", "stream");
  if (batch === undefined) return undefined;
  const { records, first, name: stream } = batch;
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
