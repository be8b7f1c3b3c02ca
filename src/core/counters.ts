import type { DropReason } from "./buffer.js";

/** Counters returned by `stats()`. */
export interface Stats {
  readonly enabled: boolean;
  readonly started: number;
  readonly ended: number;
  readonly exported: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  readonly exportErrors: number;
  /** Errors thrown by `processors` and the `keepTrace` predicate (the traces went on regardless). */
  readonly processorErrors: number;
  readonly queued: number;
  readonly internalErrors: number;
  readonly lastError: string | undefined;
}

/** The live counters behind `stats()`. */
export interface Counters {
  started: number;
  ended: number;
  exported: number;
  dropped: Record<DropReason, number>;
  exportErrors: number;
  processorErrors: number;
  internalErrors: number;
  lastError: string | undefined;
}

/** Every drop counter at zero. */
export const EMPTY_DROPS: Record<DropReason, number> = {
  queueFull: 0,
  exportFailed: 0,
  notSampled: 0,
  shutdown: 0,
  rejected: 0,
  rateLimited: 0,
  filtered: 0,
  redactionFailed: 0,
  tooManyOpen: 0,
};
