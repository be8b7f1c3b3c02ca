/** One server-sent event with the exact bytes it arrived as. */
export interface SseEvent {
  raw: Uint8Array;
  event: string | undefined;
  data: string;
}

/**
 * Splits a byte stream into server-sent events (HTML Living Standard, "event stream
 * interpretation"), keeping each event's raw bytes so a filtered stream can be re-emitted
 * byte for byte. Returns a function fed chunk by chunk; the tail after the last blank line is
 * held until more bytes come, and `end()` gives it back.
 *
 * @returns push(chunk) → complete events, and end() → the unfinished tail
 * @example
 * const sse = createSseSplitter();
 * for (const e of sse.push(chunk)) console.log(e.event, e.data);
 */
export function createSseSplitter(): { push(chunk: Uint8Array): SseEvent[]; end(): Uint8Array } {
  let pending = new Uint8Array(0);
  const decoder = new TextDecoder();
  return {
    push(chunk) {
      const buf = pending.length === 0 ? chunk : concat(pending, chunk);
      const events: SseEvent[] = [];
      let start = 0;
      for (let i = 0; i < buf.length; i++) {
        // An event ends at a blank line: LF LF, CR CR, or CRLF CRLF.
        if (buf[i] !== 0x0a && buf[i] !== 0x0d) continue;
        let j = i + 1;
        if (buf[i] === 0x0d && buf[j] === 0x0a) j++;
        if (j >= buf.length) break;
        if (buf[j] !== 0x0a && buf[j] !== 0x0d) continue;
        let end = j + 1;
        if (buf[j] === 0x0d) {
          if (end >= buf.length) break;
          if (buf[end] === 0x0a) end++;
        }
        const raw = buf.subarray(start, end);
        events.push(parse(raw, decoder));
        start = end;
        i = end - 1;
      }
      pending = buf.slice(start);
      return events;
    },
    end() {
      const rest = pending;
      pending = new Uint8Array(0);
      return rest;
    },
  };
}

function parse(raw: Uint8Array, decoder: TextDecoder): SseEvent {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of decoder.decode(raw).split(/\r\n|\r|\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  }
  return { raw, event, data: data.join("\n") };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
