import 'reflect-metadata';
import { ChainOfThought, Input, Output, Param, Predictor, Program, Signature } from '@sigil/core';

@Signature('Answer the question from the context, in a few words.')
export class AnswerFromContext {
  @Input({ desc: 'passages that may contain the answer', type: [String] }) context!: string[];
  @Input() question!: string;
  @Output({ desc: 'a short phrase copied from the context' }) answer!: string;
}

/** Finds the `k` passages most relevant to a query. */
export type Search = (query: string, k: number) => string[] | Promise<string[]>;

/**
 * Retrieve-then-answer: the `k` best passages for the question, then a ChainOfThought answer. The
 * optimizer tunes `k` along with the answerer's instruction and demos.
 */
export class RAG extends Program<{ question: string }, { reasoning: string; answer: string }> {
  @Param({ choices: [1, 2, 3, 5], desc: 'passages retrieved per question' }) k = 1;
  @Predictor() respond = new ChainOfThought(AnswerFromContext);

  constructor(private readonly search: Search) {
    super();
  }

  async forward({ question }: { question: string }) {
    const context = await this.search(question, this.k);
    return this.respond.forward({ context, question });
  }
}
