import { Document } from '@langchain/core/documents';
import { BaseRetriever } from '@langchain/core/retrievers';
import { fromLangChainRetriever } from '@sigil/tools';
import { corpus } from './corpus';
import type { Search } from './rag';

/**
 * The corpus as a LangChain.js retriever — what a team on LangChain already has (a vector store's
 * `asRetriever()`, a BM25 retriever …). Sigil takes it as it is, through `fromLangChainRetriever`.
 */
export class LanternRetriever extends BaseRetriever {
  override lc_namespace = ['sigil', 'examples', 'rag'];

  constructor(private readonly topK = 5) {
    super();
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return corpus()
      .search(query, this.topK)
      .map((text) => new Document({ pageContent: text }));
  }
}

/** The RAG program's search: the LangChain retriever's first `k` documents. */
export function langchainSearch(): Search {
  return fromLangChainRetriever(new LanternRetriever());
}
