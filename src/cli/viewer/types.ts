/** An attribute value as the viewer keeps it: OTLP AnyValue turned into plain JSON. */
export type ViewerValue = string | number | boolean | null | ViewerValue[] | { [key: string]: ViewerValue };

/** Attributes keyed by name. */
export type ViewerAttributes = Record<string, ViewerValue>;

/** One received span, normalized from OTLP JSON or protobuf; one line of the JSONL file. */
export interface ViewerSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** Milliseconds since the epoch, microsecond precision. */
  start: number;
  end: number;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  attributes: ViewerAttributes;
  events: { name: string; time: number; attributes: ViewerAttributes }[];
  links: { traceId: string; spanId: string; attributes: ViewerAttributes }[];
  resource: ViewerAttributes;
  scope: { name: string; version?: string };
}

/** What the span is, for colour and icons: spanwise's kinds, then what other instrumentations say. */
export type SpanCategory = "agent" | "llm" | "tool" | "retrieval" | "embedding" | "workflow" | "http" | "db" | "span";

/** A message of an LLM conversation. */
export interface ChatMessage {
  role: string;
  parts: ChatPart[];
}

/** A part of a message: text, a tool call, a tool result, or anything else as JSON. */
export interface ChatPart {
  type: string;
  text?: string;
  name?: string;
  data?: ViewerValue;
}

/** What the span panel shows for an LLM or embedding span. */
export interface LlmDetails {
  model?: string;
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  cost?: number;
  ttftMs?: number;
  finishReasons?: string[];
  input: ChatMessage[];
  output: ChatMessage[];
}

/** A span as the API serves it: the stored span plus what the viewer derives from it. */
export interface SpanView extends ViewerSpan {
  category: SpanCategory;
  llm?: LlmDetails;
}

/** One row of the trace list. */
export interface TraceSummary {
  traceId: string;
  name: string;
  service: string;
  /** Milliseconds since the epoch. */
  start: number;
  durationMs: number;
  status: "ok" | "error" | "unset";
  errorCount: number;
  spanCount: number;
  inputTokens: number;
  outputTokens: number;
  /** US dollars; undefined when no span carried a cost. */
  cost?: number;
  sessionId?: string;
  userId?: string;
  models: string[];
}
