import type { Attributes } from "../../core/attributes.js";
import { type Json, obj, str } from "./read-event.js";
import type { Trigger } from "./trigger.js";

/**
 * S3 event notifications: `faas.document.*` for the first record (S3 sends one per event), with
 * the object key decoded from its URL form.
 *
 * @param e - the event as an object
 * @returns the trigger, or undefined when the event is not from S3
 * @example
 * s3Trigger({ Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key: "a+b.txt" } } }] })
 */
export function s3Trigger(e: Json): Trigger | undefined {
  const records = Array.isArray(e.Records) ? e.Records : [];
  const first = obj(records[0]);
  if (first?.eventSource !== "aws:s3") return undefined;
  const s3 = obj(first.s3);
  const bucket = str(obj(s3?.bucket)?.name);
  const key = decodeKey(str(obj(s3?.object)?.key));
  const eventName = str(first.eventName);
  const attributes: Attributes = { "faas.trigger": "datasource", "aws.lambda.trigger": "s3" };
  if (eventName) {
    attributes["faas.document.operation"] = eventName.startsWith("ObjectCreated") ? "insert" : eventName.startsWith("ObjectRemoved") ? "delete" : eventName;
    attributes["aws.s3.event_name"] = eventName;
  }
  if (bucket) attributes["faas.document.collection"] = attributes["aws.s3.bucket"] = bucket;
  if (key) attributes["faas.document.name"] = attributes["aws.s3.key"] = key;
  const time = str(first.eventTime);
  if (time) attributes["faas.document.time"] = time;
  if (records.length > 1) attributes["aws.s3.record_count"] = records.length;
  return { name: undefined, spanKind: "server", attributes, parent: undefined, links: [], http: undefined };
}

/** S3 event keys are URL-encoded with "+" for spaces. */
function decodeKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}
