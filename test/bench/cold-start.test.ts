import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { COPIES, coldStart, unrun } from "../../bench/cold-start.js";
import { workerBundles } from "../../bench/worker-bundle.js";
import { bundleWorker } from "../helpers/bundle-worker.js";

// The cold-start row's floor loads the spanwise Worker's code without running it. That is only
// its floor if workerd loads the whole of it, runs none of it, and serves the empty Worker.

const fixture = (name: string): string => fileURLToPath(new URL(`../../bench/fixtures/${name}`, import.meta.url));

async function serve(code: string): Promise<{ text: string; ran: string }> {
  const mf = new Miniflare({ modules: [{ type: "ESModule", path: "/w.mjs", contents: code }], modulesRoot: "/", compatibilityDate: "2025-04-01", compatibilityFlags: ["nodejs_als"] });
  try {
    const res = await mf.dispatchFetch("http://localhost/");
    return { text: await res.text(), ran: res.headers.get("x-ran") ?? "" };
  } finally {
    await mf.dispose();
  }
}

describe("unrun (the cold-start row's floor)", () => {
  // This empty Worker reports whether any startup code set the mark.
  const reporting = `var o={fetch:()=>new Response("ok",{headers:{"x-ran":String(globalThis.ran??"")}})};export{o as default};`;

  it("keeps a module's code in the Worker without running any of it, and serves the empty Worker instead", async () => {
    // A module whose startup leaves a mark.
    const marked = `globalThis.ran="startup";var w={fetch:()=>new Response("marked")};export{w as default};`;
    expect(await serve(`${marked.replace(/export\{w as default\};$/, "")}${reporting}`)).toEqual({ text: "ok", ran: "startup" });
    expect(await serve(unrun(marked, reporting))).toEqual({ text: "ok", ran: "" });
  });

  it("leaves the code for workerd to parse: a syntax error in it still fails the Worker", async () => {
    // Checked through workerd, not by unrun: a bundle unrun accepts, with an error only a parser sees.
    const bundle = `var w={fetch:()=>new Response("x")};function later(){return 1}export{w as default};`;
    await expect(serve(unrun(bundle, reporting))).resolves.toEqual({ text: "ok", ran: "" });
    const broken = unrun(bundle, reporting).replace("return 1", "return 1 +* 2");
    await expect(serve(broken)).rejects.toThrow();
  });

  it("takes the spanwise Worker bundle whole, and workerd loads it without running it", async () => {
    const bundle = await bundleWorker(fixture("worker-instrumented.ts"), { minify: true });
    expect(await serve(unrun(bundle, reporting))).toEqual({ text: "ok", ran: "" });
  });

  it("refuses a bundle it would change the meaning of: with imports, other exports, top-level await, or no default export at its end", () => {
    const empty = `var o={};export{o as default};`;
    expect(() => unrun(`import{a}from"b";var w={};export{w as default};`, empty)).toThrow(/does not fit in a function/);
    expect(() => unrun(`/*! banner */"use strict";import"b";var w={};export{w as default};`, empty)).toThrow(/does not fit in a function/);
    expect(() => unrun(`export const x=1;var w={};export{w as default};`, empty)).toThrow(/does not fit in a function/);
    expect(() => unrun(`var w=await fetch("x");export{w as default};`, empty)).toThrow(/does not fit in a function/);
    expect(() => unrun(`var w={};export{w as handler};`, empty)).toThrow(/as default/);
    expect(() => unrun(`var w={};`, empty)).toThrow(/as default/);
  });
});

describe.runIf(existsSync(`/proc/self/task/${process.pid}/schedstat`))("coldStart (the cold-start rows)", () => {
  it("measures each Worker's start and the traced Workers' first two requests, whose exports reach its collector", async () => {
    // One run instead of the bench's 15. It throws unless every copy answers each request and exports once.
    const cold = await coldStart(await workerBundles(), 1);
    const figures = { cpu: cold.cpu, wall: cold.wall, first: cold.firstRequest, second: cold.secondRequest };
    for (const [name, cost] of Object.entries(figures)) {
      for (const [which, ms] of Object.entries(cost ?? { missing: Number.NaN })) expect(Number.isFinite(ms), `${name} ${which}`).toBe(true);
    }
    // Two traced Workers, two requests to each copy, one export per request.
    expect(cold.exports).toBe(2 * 2 * COPIES);
    // An isolate's first request compiles what it runs and sets spanwise up: it costs more than the second.
    expect(cold.firstRequest?.spanwiseMs).toBeGreaterThan(cold.secondRequest?.spanwiseMs ?? Number.POSITIVE_INFINITY);
    expect(cold.firstRequest?.otelMs).toBeGreaterThan(0);
  }, 120_000);
});
