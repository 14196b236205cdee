import { Injectable } from '@nestjs/common';
import { History, Input, Output, Predict, Predictor, Program, Signature } from '@sigil/core';
import { DocsSearch } from '../docs/docs-search.service';

@Signature(
  'Answer the customer from the documentation passages, taking the conversation so far into account.',
)
export class SupportReply {
  @Input({ desc: 'help-centre passages that may hold the answer', type: [String] })
  readonly passages!: string[];
  @Input() readonly question!: string;
  /** The earlier turns of this conversation: sent as user/assistant messages, as DSPy does. */
  @Input() readonly history!: History;
  @Output({ desc: 'one or two sentences' }) answer!: string;
}

/** One turn of a support conversation: retrieve for the new question, answer with the history. */
@Injectable()
export class SupportChat extends Program<
  { question: string; history: History },
  { answer: string; sources: string[] }
> {
  @Predictor() respond = new Predict(SupportReply);

  constructor(private readonly docs: DocsSearch) {
    super();
  }

  async forward({ question, history }: { question: string; history: History }) {
    const found = this.docs.search(question, 3);
    const { answer } = await this.respond.forward({
      passages: found.map((doc) => doc.text),
      question,
      history,
    });
    return { answer, sources: found.map((doc) => doc.id) };
  }
}
