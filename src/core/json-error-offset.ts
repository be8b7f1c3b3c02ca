/**
 * Where `text` stops being JSON (RFC 8259): the offset of the first character that cannot
 * continue it, or -1 for valid JSON. For parsers whose errors give no position: V8 says "at
 * position 7", JavaScriptCore (Bun) only "JSON Parse error: Expected '}'". A scanner of our own,
 * since no runtime offers one, and a config file is small.
 *
 * @param text - what JSON.parse refused
 * @returns the offset, or -1
 * @example
 * jsonErrorOffset('{"a": 1 "b": 2}') // 8
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const at = (): string => text[i] ?? "";
  const ws = (): void => {
    while (at() === " " || at() === "\t" || at() === "\n" || at() === "\r") i++;
  };
  const expect = (c: string): void => {
    if (at() !== c) throw i;
    i++;
  };
  const digits = (): void => {
    if (!/[0-9]/.test(at())) throw i;
    while (/[0-9]/.test(at())) i++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c < 0x20) throw i;
      i++;
      if (c === 0x22) return;
      if (c !== 0x5c) continue;
      const e = at();
      if (e === "" || !'"\\/bfnrtu'.includes(e)) throw i;
      i++;
      if (e !== "u") continue;
      for (let k = 0; k < 4; k++) {
        if (!/[0-9a-fA-F]/.test(at())) throw i;
        i++;
      }
    }
  };
  const value = (): void => {
    ws();
    const c = at();
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (at() === close) return void i++;
      for (;;) {
        if (close === "}") {
          ws();
          string();
          ws();
          expect(":");
        }
        value();
        ws();
        if (at() === ",") i++;
        else return expect(close);
      }
    }
    if (c === '"') return string();
    for (const word of ["true", "false", "null"]) {
      if (c !== word[0]) continue;
      for (const ch of word) expect(ch);
      return;
    }
    if (c === "-") i++;
    if (at() === "0") i++;
    else digits();
    if (at() === ".") {
      i++;
      digits();
    }
    if (at() === "e" || at() === "E") {
      i++;
      if (at() === "+" || at() === "-") i++;
      digits();
    }
  };
  try {
    value();
    ws();
    return i === text.length ? -1 : i;
  } catch (err) {
    // A nesting too deep for the stack has no position to give.
    return typeof err === "number" ? err : -1;
  }
}
