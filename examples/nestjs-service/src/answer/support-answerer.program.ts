import { Injectable } from '@nestjs/common';
import { ChainOfThought, Input, Output, Predictor, Program, Signature } from '@sigil/core';
import { DocsSearch } from '../docs/docs-search.service';

@Signature('Answer the customer question from the documentation passages.')
export class AnswerFromDocs {
  @Input({ desc: 'help-centre passages that may hold the answer', type: [String] }) passages!: string[];
  @Input() question!: string;
  @Output({ desc: 'one or two sentences' }) answer!: string;
}

/**
 * Retrieve, then answer with ChainOfThought. `@Injectable()` lets Nest see the constructor's parameter
 * types and inject `DocsSearch`; `SigilModule.forFeature` loads the optimized instructions and demos.
 */
@Injectable()
export class SupportAnswerer extends Program<{ question: string }, { answer: string; sources: string[] }> {
  @Predictor() respond = new ChainOfThought(AnswerFromDocs);

  constructor(private readonly docs: DocsSearch) {
    super();
  }

  async forward({ question }: { question: string }) {
    const found = this.docs.search(question, 3);
    const { answer } = await this.respond.forward({ passages: found.map((doc) => doc.text), question });
    return { answer, sources: found.map((doc) => doc.id) };
  }
}
