/**
 * Vitest global setup: the whole run's temporary files go into one directory, removed when the run
 * ends. Miniflare removes the directory each instance makes under `os.tmpdir()` without waiting
 * for it, so a test process that ends right after `dispose()` left about twenty behind per run.
 * Test processes are started after this, with `TMPDIR` pointing here.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Makes the run's temporary directory and returns the teardown that removes it.
 *
 * @example
 * // vitest.config.ts
 * test: { globalSetup: ["test/global-setup.ts"] }
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "spanwise-test-"));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
}
