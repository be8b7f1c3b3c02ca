import type { ConfigError } from "./errors.js";

/** An OTEL_* variable ignored because its value is invalid, and the warning that says so. */
export interface IgnoredVariable {
  /** The variable's name. */
  readonly variable: string;
  /** The warning, without the "[spanwise]" prefix the logger adds. */
  readonly message: string;
}

/**
 * The warning for an OTEL_* variable ignored because its value is invalid: the OpenTelemetry SDK
 * environment variables spec asks for a warning, then to go on as if it were unset.
 *
 * @param error - the ConfigError the value would have raised, naming the variable
 * @returns the variable and its warning
 * @example
 * ignoredVariable(new ConfigError("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "http/protobuf", "environment")).message
 * // "OTEL_EXPORTER_OTLP_PROTOCOL=grpc is ignored: spanwise sends OTLP over HTTP (port 4318), not gRPC."
 */
export function ignoredVariable(error: ConfigError): IgnoredVariable {
  const variable = error.field;
  if (/_PROTOCOL$/.test(variable) && typeof error.value === "string" && error.value.toLowerCase().startsWith("grpc")) {
    return { variable, message: `${variable}=${error.value} is ignored: spanwise sends OTLP over HTTP (port 4318), not gRPC.` };
  }
  return { variable, message: `${error.message.replace(/^spanwise: /, "")}; ignored, as if unset.` };
}
