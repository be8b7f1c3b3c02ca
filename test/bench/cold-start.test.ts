import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { unrun } from "../../bench/cold-start.js";
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
  it("keeps a module's code in the Worker without running any of it, and serves the empty Worker instead", async () => {
    const empty = await bundleWorker(fixture("worker-baseline.ts"), { minify: true });
    // A module whose startup leaves a mark its handler reports.
    const marked = `globalThis.ran="startup";var w={fetch:()=>new Response("marked",{headers:{"x-ran":globalThis.ran}})};export{w as default};`;
    expect(await serve(marked)).toEqual({ text: "marked", ran: "startup" });
    const code = unrun(marked, empty);
    expect(code).toContain(`globalThis.ran="startup";var w=`);
    expect(await serve(code)).toEqual({ text: "ok", ran: "" });
  });

  it("takes the spanwise Worker bundle whole, and workerd loads it", async () => {
    const [bundle, empty] = await Promise.all([bundleWorker(fixture("worker-instrumented.ts"), { minify: true }), bundleWorker(fixture("worker-baseline.ts"), { minify: true })]);
    const code = unrun(bundle, empty);
    expect(code.length).toBeGreaterThan(bundle.length);
    expect(code).toContain(bundle.slice(0, bundle.lastIndexOf("export{")));
    expect((await serve(code)).text).toBe("ok");
  });

  it("refuses a bundle it would change the meaning of: one with imports, or without a default export at its end", () => {
    const empty = `var o={};export{o as default};`;
    expect(() => unrun(`import{a}from"b";var w={};export{w as default};`, empty)).toThrow(/without imports/);
    expect(() => unrun(`var w={};export{w as handler};`, empty)).toThrow(/as default/);
    expect(() => unrun(`var w={};`, empty)).toThrow(/as default/);
  });
});
