import { Module, Prediction } from '@sigil/core';
import { ToolBridgeError } from '../errors';

/** Finds the `k` passages most relevant to a query, best first. */
export type Search = (query: string, k: number) => string[] | Promise<string[]>;

/** What `Retrieve` returns: DSPy's `Prediction(passages=…)`. */
export type Retrieved = Prediction<{ passages: string[] }>;

/**
 * DSPy's `dspy.Retrieve` over any search function — a LangChain or LlamaIndex retriever through
 * `fromLangChainRetriever` / `fromLlamaIndexRetriever`, a vector store, BM25 — as a module of a RAG program
 * (hold it with `@Submodule()`).
 * @example @Submodule() retrieve = new Retrieve(fromLangChainRetriever(retriever), { k: 3 });
 * const { passages } = await this.retrieve.forward({ query: question });
 */
export class Retrieve extends Module<{ query: string }, Retrieved> {
  /** Passages per query (default 3, as DSPy). */
  k: number;

  constructor(
    private readonly search: Search,
    options: { k?: number } = {},
  ) {
    super();
    if (typeof search !== 'function') {
      throw new ToolBridgeError('new Retrieve(search) needs a function (query, k) => passages.', {
        code: 'TOOL_BRIDGE_INPUT',
      });
    }
    this.k = options.k ?? 3;
  }

  async forward(inputs: { query: string }, options: { k?: number } = {}): Promise<Retrieved> {
    const passages = await this.search(inputs.query, options.k ?? this.k);
    return Prediction.from({ passages: [...passages] }) as Retrieved;
  }
}
