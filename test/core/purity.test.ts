import { builtinModules } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// DESIGN.md: src/core is Web-standard only. No node:* or Node builtin imports, and no mention of
// process, Buffer, Deno, Bun or require as identifiers (comments and string contents don't count).

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CORE = join(ROOT, "src/core");
const FORBIDDEN_IDENTIFIERS = ["process", "Buffer", "Deno", "Bun", "require"];
const IDENTIFIER = new RegExp(`(?<![\\w$])(${FORBIDDEN_IDENTIFIERS.join("|")})(?![\\w$])`, "g");
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));

/** Every .ts file under `dir`, recursively, except tests. */
function coreFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...coreFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const KEYWORDS_BEFORE_REGEX = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

/**
 * Blanks comments (and, unless `keepStrings`, the contents of string and template literals and
 * regex literals), keeping every newline so offsets still map to the same lines. Template
 * `${...}` expressions stay code.
 */
export function blank(src: string, keepStrings: boolean): string {
  let out = "";
  let i = 0;
  const templates: number[] = []; // brace depth at which each open `${` returns to its template
  let depth = 0;
  const keepNewlines = (s: string): string => s.replace(/[^\n]/g, " ");
  const lastToken = (): string => {
    const m = /([\w$]+|\S)\s*$/.exec(out);
    return m ? (m[1] as string) : "";
  };
  const regexAllowed = (): boolean => {
    const t = lastToken();
    if (t === "") return true;
    if (/^[\w$]+$/.test(t)) return KEYWORDS_BEFORE_REGEX.has(t);
    return !(t === ")" || t === "]" || t === "}");
  };
  const readTemplate = (): void => {
    // At a template's text part: read until the closing backtick or a `${`.
    let text = "";
    while (i < src.length) {
      const c = src[i] as string;
      if (c === "\\") {
        text += src.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === "`") {
        i++;
        out += (keepStrings ? text : keepNewlines(text)) + "`";
        return;
      }
      if (c === "$" && src[i + 1] === "{") {
        i += 2;
        out += (keepStrings ? text : keepNewlines(text)) + "${";
        templates.push(depth);
        depth++;
        return;
      }
      text += c;
      i++;
    }
    out += keepStrings ? text : keepNewlines(text);
  };
  while (i < src.length) {
    const c = src[i] as string;
    const d = src[i + 1];
    if (c === "/" && d === "/") {
      const end = src.indexOf("\n", i);
      const stop = end === -1 ? src.length : end;
      out += keepNewlines(src.slice(i, stop));
      i = stop;
      continue;
    }
    if (c === "/" && d === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += keepNewlines(src.slice(i, stop));
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      const body = src.slice(i + 1, j);
      out += c + (keepStrings ? body : keepNewlines(body)) + c;
      i = j + 1;
      continue;
    }
    if (c === "`") {
      out += "`";
      i++;
      readTemplate();
      continue;
    }
    if (c === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== "\n") {
        const r = src[j];
        if (r === "\\") {
          j += 2;
          continue;
        }
        if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < src.length && /[a-z]/.test(src[j] as string)) j++;
      out += "/" + " ".repeat(Math.max(0, j - i - 2)) + "/";
      i = j;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") {
      depth--;
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        out += "}";
        i++;
        readTemplate();
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

interface Violation {
  line: number;
  reason: string;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split("\n").length;

/** The purity violations in one source text. */
export function violations(src: string): Violation[] {
  const found: Violation[] = [];
  const withStrings = blank(src, true);
  const specifiers = [
    /\b(?:import|export)\b[^;'"`]*?\bfrom\s*(["'])([^"']+)\1/g,
    /\bimport\s*(["'])([^"']+)\1/g,
    /\bimport\s*\(\s*(["'])([^"']+)\1/g,
  ];
  for (const re of specifiers) {
    for (const m of withStrings.matchAll(re)) {
      const spec = m[2] as string;
      if (spec.startsWith("node:") || BUILTINS.has(spec) || BUILTINS.has(spec.split("/")[0] as string)) {
        found.push({ line: lineOf(withStrings, m.index ?? 0), reason: `imports the Node builtin "${spec}"` });
      }
    }
  }
  const code = blank(src, false);
  for (const m of code.matchAll(IDENTIFIER)) found.push({ line: lineOf(code, m.index ?? 0), reason: `names \`${m[1]}\`` });
  return found.sort((a, b) => a.line - b.line);
}

describe("core purity", () => {
  it("finds the core's source files", () => {
    const files = coreFiles(CORE);
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.endsWith("tracer.ts"))).toBe(true);
  });

  it("keeps every file under src/core free of Node builtins and runtime globals", () => {
    const report: string[] = [];
    for (const file of coreFiles(CORE)) {
      const src = readFileSync(file, "utf8");
      const lines = src.split("\n");
      for (const v of violations(src)) report.push(`${relative(ROOT, file)}:${v.line}: ${v.reason}: ${(lines[v.line - 1] ?? "").trim()}`);
    }
    expect(report, `src/core must stay Web-standard (DESIGN.md):\n${report.join("\n")}`).toEqual([]);
  });
});

describe("the purity checker itself", () => {
  it.each([
    ['import { readFile } from "node:fs";', 1],
    ["import fs from 'fs';", 1],
    ['import type { AsyncLocalStorage } from "async_hooks";', 1],
    ['export { x } from "node:path";', 1],
    ['import "node:process";', 1],
    ['const m = await import("node:crypto");', 1],
    ['import {\n  a,\n  b,\n} from "fs/promises";', 1],
    ["const env = process.env;", 1],
    ["const b = Buffer.from('x');", 1],
    ["if (typeof Deno !== 'undefined') {}", 1],
    ["const g = globalThis.Bun;", 1],
    ["const x = require('x');", 1],
    ["const s = `${process.env.HOME}/x`;", 1],
    ["const s = `a ${`b ${Buffer.alloc(1)}`} c`;", 1],
  ])("flags %s", (src, count) => {
    expect(violations(src)).toHaveLength(count);
  });

  it.each([
    ["a line comment", "// process.env is read by the node runtime"],
    ["a block comment", "/* Buffer and Deno are not used here\n   nor is require() */ const a = 1;"],
    ["a JSDoc example", '/**\n * @example\n * import { x } from "node:fs";\n * process.on("exit", f);\n */'],
    ["a string", 'const msg = "On Node, Bun and Deno import spanwise/node";'],
    ["a single-quoted string", "const hint = 'set process.env.X';"],
    ["a template's text", "const hint = `the process ${name} exits`;"],
    ["a longer identifier", "const processed = subprocess + BufferLike + requireAll;"],
    ["a regex with quotes and a backtick", "const TOKEN = /^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$/; const process2 = 1;"],
    ["a division, not a regex", "const half = total / 2; const rest = count / 3; // process"],
    ["a web import", 'import { z } from "zod/mini"; import { now } from "./clock.js";'],
  ])("ignores %s", (_label, src) => {
    expect(violations(src)).toEqual([]);
  });

  it("reports the right line", () => {
    expect(violations('const a = 1;\n// process\nconst b = "process";\nconst c = process.pid;')).toEqual([{ line: 4, reason: "names `process`" }]);
  });
});
