import type { Attributes } from "../../core/attributes.js";
import { type Json, str } from "./read-event.js";
import type { Trigger } from "./trigger.js";

/**
 * EventBridge events: source, detail type and id; a schedule ("Scheduled Event" from
 * `aws.events`) is `faas.trigger=timer`, any other event `pubsub`.
 *
 * @param e - the event as an object
 * @returns the trigger, or undefined when the event is not an EventBridge event
 * @example
 * eventBridgeTrigger({ "detail-type": "Scheduled Event", source: "aws.events", detail: {} })
 */
export function eventBridgeTrigger(e: Json): Trigger | undefined {
  const detailType = str(e["detail-type"]);
  const source = str(e.source);
  if (detailType === undefined || source === undefined || !("detail" in e)) return undefined;
  const timer = detailType === "Scheduled Event" && source === "aws.events";
  const attributes: Attributes = {
    "faas.trigger": timer ? "timer" : "pubsub",
    "aws.lambda.trigger": "eventbridge",
    "aws.eventbridge.source": source,
    "aws.eventbridge.detail_type": detailType,
  };
  const id = str(e.id);
  if (id) attributes["aws.eventbridge.event_id"] = id;
  const time = str(e.time);
  if (time) attributes["faas.time"] = time;
  const resources = Array.isArray(e.resources) ? e.resources.filter((r): r is string => typeof r === "string") : [];
  if (resources.length > 0) attributes["aws.eventbridge.resources"] = resources;
  return { name: undefined, spanKind: timer ? "server" : "consumer", attributes, parent: undefined, links: [], http: undefined };
}
