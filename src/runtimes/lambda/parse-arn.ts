/** The parts of an Amazon Resource Name: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global resources. */
  readonly region: string;
  /** Empty for resources no account owns. */
  readonly account: string;
  /** Everything after the account, ":" and "/" included ("table/Orders/stream/2026-03-10T10:00:00.000"). */
  readonly resource: string;
}

/**
 * Splits an ARN from an event into its parts. The resource keeps any ":" it holds, as the
 * label of a DynamoDB stream does.
 *
 * @param value - any value from an event
 * @returns the parts, or undefined when the value is no ARN or names no service or resource
 * @example
 * parseArn("arn:aws:kinesis:eu-west-1:111122223333:stream/clickstream")?.resource // "stream/clickstream"
 */
export function parseArn(value: unknown): Arn | undefined {
  if (typeof value !== "string" || !value.startsWith("arn:")) return undefined;
  const parts = value.split(":");
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(":");
  if (!partition || !service || region === undefined || account === undefined || resource === "") return undefined;
  return { partition, service, region, account, resource };
}
