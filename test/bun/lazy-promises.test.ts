// Bun's `$` shell commands and `sql` queries are Promise subclasses that start only when awaited,
// in the mode the caller picks first (`.text()`, `.quiet()`, `.values()`). A traced function that
// returns one must hand it back unstarted: spanwise never awaits it (README, "lazy thenable").
import { afterEach, expect, test } from "bun:test";
import { $, SQL } from "bun";
import { createMemoryExporter, flush, init, observe, shutdown } from "spanwise/bun";

afterEach(shutdown);

test("a shell command and a SQL query returned from observe() run once, in the mode the caller picks", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const shell = observe(() => $`echo hi-from-shell`, { name: "shell" });
  expect(await shell().text()).toBe("hi-from-shell\n");
  expect((await shell().quiet()).stdout.toString()).toBe("hi-from-shell\n");
  expect((await shell().nothrow()).exitCode).toBe(0);

  const sql = new SQL("sqlite://:memory:");
  await sql`CREATE TABLE t (a INTEGER, b TEXT)`;
  await sql`INSERT INTO t VALUES (1, 'x'), (2, 'y')`;
  const query = observe(() => sql`SELECT a, b FROM t ORDER BY a`, { name: "query" });
  expect(await query().values()).toEqual([
    [1, "x"],
    [2, "y"],
  ]);
  expect(await query()).toEqual([
    { a: 1, b: "x" },
    { a: 2, b: "y" },
  ]);
  await sql.close();

  // A Promise subclass that is not lazy is still followed until it settles.
  class Eager<T> extends Promise<T> {}
  let settleEager: (value: string) => void = () => {};
  const eager = observe(() => new Eager<string>((resolve) => (settleEager = resolve)), { name: "eager" });
  const pending = eager();
  expect(pending).toBeInstanceOf(Eager);
  await flush();
  expect(memory.spans.filter((s) => s.name === "eager")).toHaveLength(0);
  settleEager("later");
  expect(await pending).toBe("later");

  await flush();
  const byName = (name: string) => memory.spans.filter((s) => s.name === name);
  expect(byName("shell")).toHaveLength(3);
  expect(byName("query")).toHaveLength(2);
  for (const s of [...byName("shell"), ...byName("query")]) expect(s.attributes["spanwise.lazy_result"]).toBe(true);
  const [e] = byName("eager");
  expect(e?.attributes["spanwise.lazy_result"]).toBeUndefined();
  expect(e?.attributes["output.value"]).toBe("later");
});
