// A support-bot Lambda behind API Gateway (HTTP API), traced with spanwise/lambda. The "LLM" is a
// stand-in so the example runs offline; swap in your provider's client.
import { setTimeout as sleep } from "node:timers/promises";
import { createConsoleExporter, observe, updateCurrentSpan, withTracing } from "spanwise/lambda";

const lookupOrder = observe(async (orderId) => {
  await sleep(15);
  return { orderId, status: "shipped", eta: "tomorrow" };
}, { name: "lookupOrder", kind: "tool" });

const chat = observe(async (prompt) => {
  await sleep(40);
  const text = `Your order ${prompt.order.orderId} has ${prompt.order.status} and arrives ${prompt.order.eta}.`;
  updateCurrentSpan({ model: "gpt-4o-mini", provider: "openai", usage: { inputTokens: 42, outputTokens: 17 }, output: text });
  return text;
}, { name: "chat gpt-4o-mini", kind: "llm" });

const answer = observe(async (question) => {
  const orderId = /#(\d+)/.exec(question)?.[1] ?? "unknown";
  const order = await lookupOrder(orderId);
  return chat({ question, order });
}, { name: "SupportAgent.answer", kind: "agent" });

export const handler = withTracing(
  async (event) => {
    const { question } = JSON.parse(event.body ?? "{}");
    const text = await answer(question ?? "");
    return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ answer: text }) };
  },
  {
    serviceName: "support-bot",
    // The tree goes straight to stdout (the Lambda runtime prefixes console.log lines); set
    // SPANWISE_ENDPOINT to send the spans to an OTLP collector as well.
    exporters: [createConsoleExporter({ write: (text) => process.stdout.write(`${text}\n`) })],
    flushTimeoutMs: 1000,
  },
);
