/**
 * spanwise/openai: `wrapOpenAI(client)` traces every call of an `openai` client (chat
 * completions, Responses, embeddings, streams included) with GenAI and OpenInference
 * attributes, token usage, cost and time to first token.
 *
 * @module
 */
export { wrapOpenAI } from "./wrap-openai.js";
export type { WrapOpenAIOptions } from "./wrap-openai.js";
