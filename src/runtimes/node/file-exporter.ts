import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { encodeOtlpJsonBytes } from "../../core/export/otlp-json.js";
import type { SpanExporter } from "../../core/export/types.js";

/** Options of the JSONL file exporter. */
export interface FileExporterOptions {
  /** File to append to; its folder is created if missing, and again if it is removed later. */
  path: string;
}

/**
 * Appends each batch as one line of OTLP/JSON (an `ExportTraceServiceRequest`), the format the
 * OpenTelemetry Collector's file exporter writes and its file receiver reads.
 *
 * @param options - `path` of the JSONL file
 * @example
 * init({ exporters: [createFileExporter({ path: ".spanwise/traces.jsonl" })] })
 */
export function createFileExporter(options: FileExporterOptions): SpanExporter {
  let ready: Promise<unknown> | undefined;
  // A failed mkdir is retried on the next export rather than remembered forever.
  const makeFolder = (): Promise<unknown> =>
    (ready ??= mkdir(dirname(options.path), { recursive: true }).catch((err: unknown) => {
      ready = undefined;
      throw err;
    }));
  const append = async (line: Uint8Array): Promise<void> => {
    await makeFolder();
    try {
      await appendFile(options.path, line);
    } catch (err) {
      // The folder went away after it was made (log cleanup, a tmp reaper): make it again, once.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      ready = undefined;
      await makeFolder();
      await appendFile(options.path, line);
    }
  };
  // Appends are chained so lines never interleave, even with concurrent exports.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    name: "file",
    async export(batch) {
      // The request's UTF-8 and a newline, as written: no round trip through a string.
      const body = encodeOtlpJsonBytes(batch);
      const line = new Uint8Array(body.length + 1);
      line.set(body);
      line[body.length] = 0x0a;
      const write = tail.then(() => append(line));
      tail = write.catch(() => undefined);
      try {
        await write;
        return { ok: true };
      } catch (err) {
        return { ok: false, error: `cannot write ${options.path}: ${(err as Error).message}` };
      }
    },
  };
}
