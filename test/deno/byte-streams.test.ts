// An observed byte stream, or the body of an observed fetch, stays a byte stream in Deno: a BYOB
// reader that works on the source works on what observe hands back.
import assert from "node:assert/strict";

const probe = new URL("./fixtures/byte-streams-probe.ts", import.meta.url).pathname;

Deno.test("observed byte streams and fetch bodies are read by BYOB readers in pieces of their size, and their spans count the bytes", async () => {
  const res = await new Deno.Command(Deno.execPath(), { args: ["run", "--no-prompt", "--allow-net=127.0.0.1", probe] }).output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(res.stdout).trim()), {
    pieces: ["hell", "o", " wor", "ld"],
    made: [2, 11, "hello world"],
    fetched: true,
    fetchedBytes: 100_000,
    // A stream that is not a byte stream stays one that is not.
    plain: "TypeError",
  });
});
