import { Injectable } from '@nestjs/common';
import { History, type HistoryMessage } from '@sigil/core';

/**
 * The History of each conversation, by id, in memory. A real service keeps it in Redis or a database
 * (one JSON document per conversation: `history.messages` is plain data) and caps its length.
 */
@Injectable()
export class ConversationStore {
  private readonly conversations = new Map<string, History>();
  /** Earlier turns kept per conversation; older ones are dropped. */
  readonly maxTurns = 20;

  get(id: string): History {
    return this.conversations.get(id) ?? new History();
  }

  /** Adds a finished turn (the question and the answer) to the conversation. */
  append(id: string, turn: HistoryMessage): History {
    const next = new History([...this.get(id).messages, turn].slice(-this.maxTurns));
    this.conversations.set(id, next);
    return next;
  }
}
