import { observe, span, updateCurrentSpan } from "spanwise";
import { complete, embed } from "./fake-llm.js";

const MODEL = "gpt-4o-mini";

/** One LLM call, recorded with model, token usage, prompt and completion. */
const chat = observe(
  async (prompt: string) => {
    const res = await complete(MODEL, prompt);
    updateCurrentSpan({
      provider: "openai",
      model: res.model,
      usage: res.usage,
      output: res.text,
      attributes: { "gen_ai.response.finish_reasons": [res.finishReason] },
    });
    return res.text;
  },
  { name: `chat ${MODEL}`, kind: "llm", captureOutput: false },
);

const DOCS = [
  { id: "refunds", text: "Unopened items can be refunded within 30 days of delivery." },
  { id: "shipping", text: "Orders ship within one business day." },
];

/** A small support agent: plan, retrieve, call tools, answer. */
export class SupportAgent {
  @observe({ kind: "tool" })
  async lookupOrder(orderId: string): Promise<{ id: string; status: string; eta: string }> {
    await new Promise((resolve) => setTimeout(resolve, 15));
    return { id: orderId, status: "shipped", eta: "Friday" };
  }

  @observe({ kind: "tool" })
  async refundEligibility(order: { id: string; status: string }): Promise<{ eligible: boolean; windowDays: number }> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { eligible: order.status === "shipped", windowDays: 30 };
  }

  @observe({ kind: "tool" })
  async checkWarehouse(orderId: string): Promise<never> {
    await new Promise((resolve) => setTimeout(resolve, 10));
    throw new Error(`warehouse API timed out for order ${orderId}`);
  }

  @observe({ kind: "retrieval" })
  async searchDocs(query: string): Promise<string[]> {
    await span("embed query", { kind: "embedding", attributes: { "gen_ai.request.model": "text-embedding-3-small" } }, () => embed(query));
    return DOCS.filter((d) => query.toLowerCase().includes(d.id.slice(0, 6))).map((d) => d.text);
  }

  @observe({ kind: "agent" })
  async answer(question: string): Promise<string> {
    const plan = await span("plan", { kind: "workflow" }, () => chat(`Plan how to answer: ${question}`));
    const order = await this.lookupOrder("1042");
    try {
      await this.checkWarehouse("1042");
    } catch {
      // The agent carries on without live warehouse data; the tool span keeps the error.
    }
    const refund = await this.refundEligibility(order);
    const docs = await this.searchDocs(question);
    return chat(`Plan: ${plan}\nOrder: ${JSON.stringify(order)}\nRefund: ${JSON.stringify(refund)}\nDocs: ${docs.join(" ")}\nQuestion: ${question}`);
  }
}
