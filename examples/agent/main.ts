/**
 * The spanwise demo: a support agent whose trace tree prints to the console.
 * Runs offline (a fake LLM stands in for the provider). Set SPANWISE_ENDPOINT to also send the
 * trace to an OTLP collector.
 */
import { flush, init, stats, withAttributes } from "spanwise";
import { SupportAgent } from "./support-agent.js";

init({ serviceName: "support-bot", environment: "demo", exporters: process.env.SPANWISE_ENDPOINT ? ["console", "otlp"] : ["console"] });

const agent = new SupportAgent();
const answer = await withAttributes({ userId: "u-1", sessionId: "s-9", tags: ["demo"] }, () =>
  agent.answer("Where is my order #1042, and can I get a refund?"),
);
console.log(`\nanswer: ${answer}\n`);
await flush();
const s = stats();
console.log(`\nspans: ${s.ended} ended, ${s.exported} exported, ${s.dropped.exportFailed} failed`);
