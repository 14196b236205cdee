import { ChainOfThought, History, Input, Output, Predictor, Program, Signature } from '@sigil/core';

@Signature(
  'You are a support agent for Lumen, a photo-sharing app. Answer briefly and ask for what you need.',
)
export class SupportTurn {
  @Input({ desc: 'what the customer just wrote' }) readonly message!: string;
  /** The conversation so far: each earlier turn is sent as a user message and an assistant message. */
  @Input() readonly history!: History;
  @Output({ desc: 'your reply to the customer' }) reply!: string;
  @Output({ desc: 'true when a human should take over' }) escalate!: boolean;
}

/** One turn of the conversation; the caller keeps the History between turns. */
export class SupportChat extends Program<
  { message: string; history: History },
  { reply: string; escalate: boolean }
> {
  @Predictor() respond = new ChainOfThought(SupportTurn);

  async forward({ message, history }: { message: string; history: History }) {
    const { reply, escalate } = await this.respond.forward({ message, history });
    return { reply, escalate };
  }
}

/** The conversation after a turn: the History grows by the customer's message and the reply. */
export function nextHistory(history: History, message: string, reply: string): History {
  return new History([...history.messages, { message, reply }]);
}
