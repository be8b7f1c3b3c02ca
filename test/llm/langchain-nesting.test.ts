// Code running inside a LangChain run nests under the run's span where LangChain keeps its run
// config in AsyncLocalStorage, as LangGraph apps and `import "@langchain/core/context"` turn on.
import "@langchain/core/context";
import { RunnableLambda } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { flush, observe, shutdown } from "spanwise/node";
import { CallbackHandler } from "spanwise/langchain";
import { only, start } from "../core/helpers.js";

afterEach(() => shutdown());

describe("LangChain runs as parents of the code inside them", () => {
  it("nests spans that code inside a run makes (a tool's observe'd lookup, a lambda's) under the run's span", async () => {
    const h = start();
    const lookup = observe(async (city: string) => `18°C in ${city}`, { name: "lookup", kind: "retrieval" });
    const weather = tool(async ({ city }: { city: string }) => lookup(city), { name: "get_weather", description: "Weather", schema: z.object({ city: z.string() }) });
    const chain = RunnableLambda.from(async (input: { city: string }) => {
      const inside = await observe(async () => "noted", { name: "note" })();
      return `${inside}: ${(await weather.invoke(input)) as string}`;
    }).withConfig({ runName: "agent step" });
    const answer = observe(async () => chain.invoke({ city: "Paris" }, { callbacks: [new CallbackHandler()] }), { name: "handle request" });
    expect(await answer()).toBe("noted: 18°C in Paris");
    // Outside any run, nothing changes.
    await observe(async () => 1, { name: "after" })();
    await flush();
    const parentOf = (name: string) => h.memory.spans.find((s) => s.spanId === only(h.memory, name).parentSpanId)?.name;
    expect(parentOf("agent step")).toBe("handle request");
    expect(parentOf("note")).toBe("agent step");
    expect(parentOf("get_weather")).toBe("agent step");
    expect(parentOf("lookup")).toBe("get_weather");
    expect(only(h.memory, "after").parentSpanId).toBeUndefined();
  });

});
