import { describe, expect, it } from "vitest";
import { createSdkLogger } from "./logger.js";

describe("createSdkLogger", () => {
  it("shows named one-time warnings (models without a price) for the first 100 names only, and fixed ones always", () => {
    const lines: string[] = [];
    const log = createSdkLogger({ warn: (m) => void lines.push(m) }, false);
    for (let i = 0; i < 150; i++) log.warnOnce(`unpriced:m${i}`, `no price for m${i}`, true);
    log.warnOnce("unpriced:m0", "no price for m0", true);
    expect(lines.filter((l) => l.includes("no price for"))).toHaveLength(100);
    expect(lines.filter((l) => l.includes("100 models without a price were warned about; further ones are not"))).toHaveLength(1);
    // A cap reached elsewhere still says so, once.
    log.warnOnce("langchain-open-runs", "10000 LangChain runs are open at once");
    log.warnOnce("langchain-open-runs", "10000 LangChain runs are open at once");
    expect(lines.filter((l) => l.includes("LangChain runs are open"))).toHaveLength(1);
  });
});
