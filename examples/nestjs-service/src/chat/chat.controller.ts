import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { lmUsageOf } from '@sigil/core';
import { InjectProgram } from '@sigil/nestjs';
import { ChatRequest, CONVERSATION_ID } from './chat.dto';
import { ConversationStore } from './conversation.store';
import { SupportChat } from './support-chat.program';

/** A multi-turn support chat: each conversation keeps its History between requests. */
@Controller('chat')
export class ChatController {
  constructor(
    @InjectProgram(SupportChat) private readonly chat: SupportChat,
    private readonly conversations: ConversationStore,
  ) {}

  @Post(':conversationId')
  @HttpCode(200)
  async reply(@Param('conversationId') conversationId: string, @Body() body: ChatRequest) {
    checkId(conversationId);
    const history = this.conversations.get(conversationId);
    const result = await this.chat.forward({ question: body.message, history });
    const updated = this.conversations.append(conversationId, {
      question: body.message,
      answer: result.answer,
    });
    const usage = lmUsageOf(result) ?? {};
    return {
      answer: result.answer,
      sources: result.sources,
      turn: updated.messages.length,
      tokens: Object.values(usage).reduce((sum, model) => sum + model.totalTokens, 0),
    };
  }

  @Get(':conversationId')
  history(@Param('conversationId') conversationId: string) {
    checkId(conversationId);
    return { messages: this.conversations.get(conversationId).messages };
  }
}

function checkId(id: string): void {
  if (!CONVERSATION_ID.test(id))
    throw new BadRequestException('conversationId must be 1-64 letters, digits, "-" or "_".');
}
