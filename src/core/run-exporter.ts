import type { Context, ContextStorage } from "./context.js";
import { describeError } from "./describe-error.js";
import type { ExportBatch, ExportResult, SpanExporter } from "./export/types.js";
import { describeReason } from "./until-aborted.js";

/**
 * Runs one exporter on a batch with tracing suppressed. Never rejects: a throw, an invalid
 * result, a run longer than `timeoutMs` + 1 s or an abort of `signal` resolve as a failure.
 * What comes back is a fresh result read once: `error` is a string, `rejected` a count within
 * the batch.
 */
export async function runExporter(exporter: SpanExporter, batch: ExportBatch, signal: AbortSignal | undefined, storage: ContextStorage, suppressed: Context, timeoutMs: number): Promise<ExportResult> {
  const name = exporterName(exporter);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    // The exporter's own requests run with tracing suppressed, so they never become spans.
    const work = storage.run(suppressed, () => (signal ? exporter.export(batch, { signal }) : exporter.export(batch)));
    const guard = new Promise<ExportResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `exporter "${name}" did not finish within ${timeoutMs + 1000} ms` }), timeoutMs + 1000);
      (timer as { unref?: () => void }).unref?.();
      if (signal) {
        onAbort = () => resolve({ ok: false, error: `export abandoned: ${describeReason(signal.reason)}` });
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    const result: unknown = await Promise.race([work, guard]);
    // A custom exporter that resolves with anything but a result is a failure, not a silent loss.
    const ok = result !== null && typeof result === "object" ? (result as { ok?: unknown }).ok : undefined;
    if (ok === true) {
      const { rejected, message } = result as { rejected?: unknown; message?: unknown };
      // Only a count can be counted: NaN, a string or a negative number would poison stats().
      return { ok, rejected: typeof rejected === "number" && rejected > 0 && rejected < Infinity ? Math.min(Math.floor(rejected), batch.spans.length) : 0, message: typeof message === "string" ? message.slice(0, 500) : undefined };
    }
    if (ok !== false) return { ok: false, error: `exporter "${name}" returned an invalid result (expected { ok: boolean })` };
    const error = (result as { error?: unknown }).error;
    return { ok, error: typeof error === "string" ? error : error === undefined ? `exporter "${name}" failed` : describeError(error).message };
  } catch (err) {
    return { ok: false, error: `exporter "${name}" threw: ${describeError(err).message}` };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * An exporter's name for a log line, whatever its `name` is.
 *
 * @example
 * exporterName({ name: "otlp", export }); // "otlp"
 */
export function exporterName(exporter: SpanExporter): string {
  try {
    return String(exporter.name);
  } catch {
    return "?";
  }
}
