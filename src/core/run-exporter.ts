import type { Context, ContextStorage } from "./context.js";
import type { ExportBatch, ExportResult, SpanExporter } from "./export/types.js";
import { describeReason } from "./until-aborted.js";

/**
 * Runs one exporter on a batch with tracing suppressed. Never rejects: a throw, an invalid
 * result, a run longer than `timeoutMs` + 1 s or an abort of `signal` resolve as a failure.
 */
export async function runExporter(exporter: SpanExporter, batch: ExportBatch, signal: AbortSignal | undefined, storage: ContextStorage, suppressed: Context, timeoutMs: number): Promise<ExportResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    // The exporter's own requests run with tracing suppressed, so they never become spans.
    const work = storage.run(suppressed, () => (signal ? exporter.export(batch, { signal }) : exporter.export(batch)));
    const guard = new Promise<ExportResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `exporter "${exporter.name}" did not finish within ${timeoutMs + 1000} ms` }), timeoutMs + 1000);
      (timer as { unref?: () => void }).unref?.();
      if (signal) {
        onAbort = () => resolve({ ok: false, error: `export abandoned: ${describeReason(signal.reason)}` });
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    const result = await Promise.race([work, guard]);
    // A custom exporter that resolves with anything but a result is a failure, not a silent loss.
    if (result === null || typeof result !== "object" || typeof result.ok !== "boolean") {
      return { ok: false, error: `exporter "${exporter.name}" returned an invalid result (expected { ok: boolean })` };
    }
    return result;
  } catch (err) {
    return { ok: false, error: `exporter "${exporter.name}" threw: ${(err as Error)?.message ?? String(err)}` };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}
