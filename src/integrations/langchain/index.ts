/**
 * spanwise/langchain: a LangChain.js callback handler (`@langchain/core`) that records chains,
 * chat models and LLMs with token usage, tools, retrievers and agents as spanwise spans.
 *
 * @module
 */
export { CallbackHandler } from "./callback-handler.js";
