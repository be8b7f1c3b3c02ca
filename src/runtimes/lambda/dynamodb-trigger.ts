import type { Attributes } from "../../core/attributes.js";
import { type Json, obj, str } from "./read-event.js";
import { readStreamBatch } from "./read-stream-batch.js";
import type { Trigger } from "./trigger.js";

/** A stream record's `eventName` as a `faas.document.operation`. */
const OPERATIONS = new Map([
  ["INSERT", "insert"],
  ["MODIFY", "edit"],
  ["REMOVE", "delete"],
]);

/**
 * DynamoDB Streams events: `faas.trigger=datasource` on the table the stream belongs to
 * (`faas.document.collection`, `aws.dynamodb.table_names`), the operation when every record of
 * the batch has the same one, the first record's creation time, and the batch size. Recognised
 * by the first record's `eventSource` and a table's stream ARN in its `eventSourceARN`.
 *
 * @param e - the event as an object
 * @returns the trigger, or undefined when the event is not a DynamoDB stream batch
 * @example
 * dynamoDbTrigger({ Records: [{ eventSource: "aws:dynamodb", eventName: "INSERT", eventSourceARN: "arn:aws:dynamodb:eu-west-1:1:table/Orders/stream/2026-03-10T10:00:00.000" }] })
 */
export function dynamoDbTrigger(e: Json): Trigger | undefined {
  const batch = readStreamBatch(e, "aws:dynamodb", "dynamodb", "table");
  if (batch === undefined) return undefined;
  const { records, first, name: table } = batch;
  const attributes: Attributes = {
    "faas.trigger": "datasource",
    "aws.lambda.trigger": "dynamodb",
    "faas.document.collection": table,
    "aws.dynamodb.table_names": [table],
    "aws.dynamodb.record_count": records.length,
  };
  const operations = new Set(records.map((r) => OPERATIONS.get(str(obj(r)?.eventName) ?? "")));
  const [operation] = operations;
  if (operations.size === 1 && operation) attributes["faas.document.operation"] = operation;
  const time = isoTime(obj(first.dynamodb)?.ApproximateCreationDateTime);
  if (time) attributes["faas.document.time"] = time;
  return { name: undefined, spanKind: "server", attributes, parent: undefined, links: [], http: undefined };
}

/** Stream records carry their creation time in seconds since the epoch. */
function isoTime(seconds: unknown): string | undefined {
  if (typeof seconds !== "number") return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
