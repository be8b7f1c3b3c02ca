import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { resolve } from "node:path";

/** Raised when another live viewer holds the data folder. */
export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

/**
 * Takes the data folder for this process with a `traces.lock` file holding its pid, so two
 * viewers never append to one store. A lock left by a process that no longer runs is taken over.
 *
 * @param dataDir - the store's folder (created when missing)
 * @returns a function that releases the lock
 * @throws DataDirInUseError when a running process holds it
 * @example
 * const release = lockDataDir(".spanwise");
 * // ... serve ...
 * release();
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(dataDir, "traces.lock");
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw err;
      const holder = holderOf(path);
      if (holder !== undefined && isRunning(holder)) {
        throw new DataDirInUseError(`another spanwise viewer (pid ${holder}) is using the data folder ${resolve(dataDir)}; stop it, send your traces to it, or pick another folder (--data)`);
      }
      // Stale: its process is gone (a crash or kill -9).
      try {
        unlinkSync(path);
      } catch {
        // Another process took it over first; the next attempt says so.
      }
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      if (holderOf(path) === process.pid) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
}

function holderOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
