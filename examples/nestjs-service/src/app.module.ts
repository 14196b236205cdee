import { Module } from '@nestjs/common';
import { SigilModule } from '@sigil/nestjs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AnswerController } from './answer/answer.controller';
import { ChatController } from './chat/chat.controller';
import { ConversationStore } from './chat/conversation.store';
import { SupportChat } from './chat/support-chat.program';
import { SupportAnswerer } from './answer/support-answerer.program';
import { DocsModule } from './docs/docs-search.service';
import { HealthController } from './health.controller';
import { LMConnection, LMConnectionModule } from './lm/lm-connection';

/** The optimized program state, written in DSPy's saved-program format. */
export const OPTIMIZED_STATE = join(__dirname, '..', 'optimized', 'support-answerer.json');

@Module({
  imports: [
    // 1. forRoot(Async): the LM and the per-request context, for the whole application.
    SigilModule.forRootAsync({
      imports: [LMConnectionModule],
      inject: [LMConnection],
      useFactory: (connection: LMConnection) => ({
        lm: connection.lm,
        lmOptions: { temperature: 0 },
        tags: { service: 'nestjs-service' },
        resolveRequestContext: (req) => ({
          tags: {
            requestId: String(req.headers['x-request-id'] ?? randomUUID()),
            ...(req.headers['x-tenant'] ? { tenant: String(req.headers['x-tenant']) } : {}),
          },
        }),
      }),
    }),
    // 2. forFeature: the program becomes a provider, its saved state loaded at startup.
    SigilModule.forFeature([{ program: SupportAnswerer, state: OPTIMIZED_STATE }, { program: SupportChat }], {
      imports: [DocsModule],
    }),
  ],
  // 3. inject it: see AnswerController (one question) and ChatController (a conversation with History).
  controllers: [AnswerController, ChatController, HealthController],
  providers: [ConversationStore],
})
export class AppModule {}
