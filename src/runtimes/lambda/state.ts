/** Per-execution-environment Lambda state, shared by every copy of spanwise in the process. */
export interface LambdaState {
  /** True until the first invocation of this execution environment has started. */
  coldStart: boolean;
}

const KEY = Symbol.for("spanwise.lambda.v1");

/**
 * The one Lambda state object of this process.
 *
 * @returns the shared state, created on first use
 * @example
 * const cold = lambdaState().coldStart;
 */
export function lambdaState(): LambdaState {
  const g = globalThis as unknown as Record<symbol, LambdaState | undefined>;
  let state = g[KEY];
  if (state === undefined) {
    state = { coldStart: true };
    g[KEY] = state;
  }
  return state;
}
