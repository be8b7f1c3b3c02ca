import { parseArn } from "./parse-arn.js";
import { type Json, obj, str } from "./read-event.js";

/** A batch of stream records as DynamoDB Streams and Kinesis deliver it to an event source mapping. */
export interface StreamBatch {
  readonly records: readonly unknown[];
  /** The first record, which names the source of the whole batch. */
  readonly first: Json;
  /** The resource the first record's `eventSourceARN` names: the table, or the stream. */
  readonly name: string;
}

/**
 * Reads a batch whose first record comes from `eventSource` and whose `eventSourceARN` is an ARN
 * of `service` with a resource `<type>/<name>[/...]`.
 *
 * @param e - the event as an object
 * @param eventSource - the records' `eventSource`, such as "aws:kinesis"
 * @param service - the ARN's service, such as "kinesis"
 * @param type - the resource type before the name, such as "stream"
 * @returns the batch, or undefined when the first record is not such a record
 * @example
 * readStreamBatch(event, "aws:dynamodb", "dynamodb", "table")?.name // "Orders" for arn:aws:dynamodb:eu-west-1:1:table/Orders/stream/2026-03-10T10:00:00.000
 */
export function readStreamBatch(e: Json, eventSource: string, service: string, type: string): StreamBatch | undefined {
  const records = Array.isArray(e.Records) ? e.Records : [];
  const first = obj(records[0]);
  if (first?.eventSource !== eventSource) return undefined;
  const arn = parseArn(first.eventSourceARN);
  if (arn?.service !== service) return undefined;
  const [resourceType, name] = arn.resource.split("/");
  const resource = resourceType === type ? str(name) : undefined;
  return resource === undefined ? undefined : { records, first, name: resource };
}
