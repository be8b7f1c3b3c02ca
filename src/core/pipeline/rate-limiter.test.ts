import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limiter.js";

describe("span rate limiter", () => {
  it("admits a second's worth of spans at once, then refills at the rate", () => {
    const limiter = createRateLimiter(10, 1000);
    const admitted = Array.from({ length: 15 }, () => limiter.admit(1000)).filter(Boolean).length;
    expect(admitted).toBe(10);
    expect(limiter.admit(1050)).toBe(false);
    expect(limiter.admit(1100)).toBe(true);
    expect(limiter.admit(1100)).toBe(false);
  });

  it("charges the later spans of an admitted trace without refusing them, and stops new traces until repaid", () => {
    const limiter = createRateLimiter(10, 0);
    expect(limiter.admit(0)).toBe(true);
    for (let i = 0; i < 14; i++) limiter.charge();
    // 1 + 14 spans against 10 tokens: 5 owed, so 0.6 s passes before the next trace (6 tokens) fits.
    expect(limiter.admit(500)).toBe(false);
    expect(limiter.admit(600)).toBe(true);
  });

  it("lets a runaway trace overdraw by at most one second's worth", () => {
    const limiter = createRateLimiter(10, 0);
    limiter.admit(0);
    for (let i = 0; i < 10_000; i++) limiter.charge();
    // Floored at -10 tokens: 1.1 s later there is one again, not 1000 s later.
    expect(limiter.admit(1000)).toBe(false);
    expect(limiter.admit(1100)).toBe(true);
  });

  it("refills nothing for clock readings from the past", () => {
    const limiter = createRateLimiter(1, 5000);
    expect(limiter.admit(5000)).toBe(true);
    expect(limiter.admit(1000)).toBe(false);
  });
});
