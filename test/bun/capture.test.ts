// Captured arguments under Bun, whose Headers, FormData and URLSearchParams have a toJSON that
// lists every value: an observed function that takes request headers must not record the
// caller's credentials, and records what Node records.
import { afterEach, expect, test } from "bun:test";
import { createMemoryExporter, flush, init, observe, shutdown } from "spanwise/bun";

afterEach(shutdown);

test("Headers are captured with credentials masked, FormData and URLSearchParams by type", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const handle = observe((headers: Headers, form: FormData, query: URLSearchParams) => headers.get("x-request-id") ?? form.get("user") ?? query.get("q"), { name: "handle" });
  const headers = new Headers({ authorization: "Bearer sk-live-123", cookie: "sid=abc", "content-type": "application/json", "x-request-id": "r-1" });
  const form = new FormData();
  form.append("user", "ada");
  form.append("password", "hunter2");
  expect(handle(headers, form, new URLSearchParams("q=search&token=t-1"))).toBe("r-1");
  await flush();
  const [span] = memory.spans;
  expect(JSON.parse(span?.attributes["input.value"] as string)).toEqual([
    { authorization: "[REDACTED]", "content-type": "application/json", cookie: "[REDACTED]", "x-request-id": "r-1" },
    "[FormData]",
    "[URLSearchParams]",
  ]);
});
