/**
 * spanwise/anthropic: `wrapAnthropic(client)` traces every Messages API call of an
 * `@anthropic-ai/sdk` client, streams included, with GenAI and OpenInference attributes, token
 * usage (cache reads and writes too), cost and time to first token.
 *
 * @module
 */
export { wrapAnthropic } from "./wrap-anthropic.js";
export type { WrapAnthropicOptions } from "./wrap-anthropic.js";
