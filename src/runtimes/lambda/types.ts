/**
 * The parts of the AWS Lambda Node.js runtime that spanwise touches, declared here so the
 * published types never depend on `aws-lambda` or `@types/aws-lambda`.
 */

/** The Lambda `context` object, as far as spanwise reads it. Any Lambda context is accepted. */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName?: string;
  readonly functionVersion?: string;
  readonly invokedFunctionArn?: string;
  readonly memoryLimitInMB?: string | number;
  readonly logStreamName?: string;
  /** The X-Ray trace header; set by the runtime's multi-concurrency mode instead of `_X_AMZN_TRACE_ID`. */
  readonly xRayTraceId?: string;
  getRemainingTimeInMillis?(): number;
  callbackWaitsForEmptyEventLoop?: boolean;
}

/** The callback of a callback-style handler. */
export type LambdaCallback<TResult = unknown> = (error?: unknown, result?: TResult) => void;

/** A Lambda handler: async (returns a promise) or callback-style. */
export type LambdaHandler<TEvent = unknown, TResult = unknown, TContext extends LambdaContext = LambdaContext> = (
  event: TEvent,
  context: TContext,
  callback: LambdaCallback<TResult>,
) => void | Promise<TResult>;

/** The writable response stream a streaming handler receives (a Node `Writable`, in part). */
export interface LambdaResponseStream {
  write(chunk: unknown, ...rest: unknown[]): boolean;
  end(...args: unknown[]): unknown;
  readonly writableEnded?: boolean;
  readonly writableFinished?: boolean;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** A handler written for `awslambda.streamifyResponse`. */
export type StreamingLambdaHandler<TEvent = unknown, TContext extends LambdaContext = LambdaContext> = (
  event: TEvent,
  responseStream: LambdaResponseStream,
  context: TContext,
) => Promise<void>;
