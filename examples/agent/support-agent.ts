import type OpenAI from "openai";
import { observe, span } from "spanwise";

const MODEL = "gpt-4o-mini";
const SYSTEM = "You are a concise support agent for an online shop.";

const DOCS = [
  { id: "refunds", text: "Unopened items can be refunded within 30 days of delivery." },
  { id: "shipping", text: "Orders ship within one business day." },
];

/** A small support agent: plan, call tools, retrieve, answer. Its LLM calls go through `openai`. */
export class SupportAgent {
  constructor(private readonly openai: OpenAI) {}

  /** One streamed chat completion; the wrapped client records it as an LLM span with tokens and cost. */
  private async chat(prompt: string): Promise<string> {
    const stream = await this.openai.chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: prompt },
      ],
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    return text;
  }

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
    await this.openai.embeddings.create({ model: "text-embedding-3-small", input: query });
    return DOCS.filter((d) => query.toLowerCase().includes(d.id.slice(0, 6))).map((d) => d.text);
  }

  @observe({ kind: "agent" })
  async answer(question: string): Promise<string> {
    const plan = await span("plan", { kind: "workflow" }, () => this.chat(`Plan how to answer: ${question}`));
    const order = await this.lookupOrder("1042");
    try {
      await this.checkWarehouse("1042");
    } catch {
      // The agent carries on without live warehouse data; the tool span keeps the error.
    }
    const refund = await this.refundEligibility(order);
    const docs = await this.searchDocs(question);
    return this.chat(`Plan: ${plan}\nOrder: ${JSON.stringify(order)}\nRefund: ${JSON.stringify(refund)}\nDocs: ${docs.join(" ")}\nQuestion: ${question}`);
  }
}
