// aws-lambda-ric's `beforeExit` listener calls the function under this global symbol. Before each
// buffered invocation the runtime sets it to answer `null`: the answer a handler gets when the event
// loop empties before it called its callback or settled its promise. Answering by any other way
// replaces it (the callback, context.succeed / fail / done, and so a settled promise).
const BEFORE_EXIT = Symbol.for("aws.lambda.beforeExit");

/**
 * Makes the runtime's default `null` answer of the current invocation run `finish` first: when the
 * event loop empties before the handler answered, the invocation ends and its spans are flushed,
 * then the runtime answers as it would have. Does nothing outside aws-lambda-ric.
 *
 * @param finish - ends the invocation and flushes it; never rejects
 * @example
 * finishBeforeDefaultAnswer(() => end.finish({ result: undefined }));
 */
export function finishBeforeDefaultAnswer(finish: () => Promise<void>): void {
  try {
    const g = globalThis as Record<symbol, unknown>;
    const answerNull = g[BEFORE_EXIT];
    if (typeof answerNull !== "function") return;
    // 0: not called yet, 1: finishing (the answer follows), 2: answered.
    let state = 0;
    const wrapper = (): void => {
      if (state === 1) return;
      // Called again once answered (the loop emptied again): as the runtime's own listener would be.
      if (state === 2) return void answerNull.call(g);
      state = 1;
      const answer = (): void => {
        state = 2;
        // Unless the handler answered meanwhile (the runtime then replaced this listener).
        if (g[BEFORE_EXIT] === wrapper) answerNull.call(g);
      };
      // The flush keeps the event loop busy; the runtime's listener runs once it is done.
      Promise.resolve().then(finish).then(answer, answer);
    };
    g[BEFORE_EXIT] = wrapper;
  } catch {
    // A read-only global: the runtime answers as it always has, with the invocation left open.
  }
}
