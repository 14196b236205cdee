import 'reflect-metadata';
import { Input, Output, ReAct, Signature, Tool } from '@sigil/core';
import { corpus } from '../../rag/src/corpus';
import { calculatorTool } from './calculator';

@Signature('Answer questions about the Lantern Isles, in a few words or a number.')
export class IslandQuestion {
  @Input() question!: string;
  @Output({ desc: 'a short phrase, or a bare number for a calculation' }) answer!: string;
}

/** The rag example's MiniSearch (BM25) corpus as a tool: the 3 best passages for a query. */
export const searchTool = new Tool(({ query }: { query: string }) => corpus().search(query, 3), {
  name: 'search_corpus',
  desc: 'Searches the Lantern Isles encyclopedia and returns the 3 most relevant passages.',
  args: { query: { type: 'string' } },
});

/** A ReAct agent over the corpus search and the calculator (`finish` is added by ReAct). */
export function islandAgent(): ReAct<typeof IslandQuestion> {
  return new ReAct(IslandQuestion, { tools: [searchTool, calculatorTool], maxIters: 6 });
}
