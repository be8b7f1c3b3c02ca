/**
 * Turns JSON with comments (JSONC, as in tsconfig.json) into plain JSON: `//` and `/* *\/`
 * comments and trailing commas before `}` or `]` become spaces, so line and column numbers in a
 * JSON.parse error still point into the original text. Text inside strings is never touched.
 *
 * `spanwise.config.json` accepts JSONC because `spanwise init` writes a commented starter that
 * users switch options on and off in by commenting lines; a trailing comma is what commenting
 * out the last option leaves behind. Twenty lines here cost less than a parser dependency.
 *
 * @param text - JSON, possibly with comments and trailing commas
 * @returns the same text with those replaced by spaces
 * @example
 * JSON.parse(stripJsonComments('{ "a": 1, // one\n }')) // { a: 1 }
 */
export function stripJsonComments(text: string): string {
  return blankTrailingCommas(blankComments(text));
}

function blankComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      // An unclosed comment is left as is, for JSON.parse to report.
      if (end === -1) return out + text.slice(i);
      out += text.slice(i, end + 2).replace(/[^\n]/g, " ");
      i = end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function blankTrailingCommas(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === ",") {
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next] as string)) next++;
      out += text[next] === "}" || text[next] === "]" ? " " : c;
    } else out += c;
    i++;
  }
  return out;
}

/** Index just past the string literal that opens at `start`, or the end of the text. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "\\") i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return text.length;
}
