/**
 * spanwise/langchain: a LangChain.js callback handler (`@langchain/core`) that records chains,
 * chat models and LLMs with token usage, tools, retrievers and agents as spanwise spans.
 *
 * @module
 */
export { CallbackHandler, type CallbackHandlerOptions } from "./callback-handler.js";
