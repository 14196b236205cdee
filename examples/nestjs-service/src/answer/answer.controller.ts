import { Body, Controller, HttpCode, MessageEvent, Post, Query, Sse } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { settings } from '@sigil/core';
import { InjectProgram, toServerSentEvents } from '@sigil/nestjs';
import { AnswerRequest } from './answer.dto';
import { SupportAnswerer } from './support-answerer.program';

@Controller()
export class AnswerController {
  // `private readonly answerer: SupportAnswerer` (plain constructor injection) works the same.
  constructor(@InjectProgram(SupportAnswerer) private readonly answerer: SupportAnswerer) {}

  @Post('answer')
  @HttpCode(200)
  async answer(@Body() body: AnswerRequest) {
    const { answer, sources } = await this.answerer.forward({ question: body.question });
    // The request's own Sigil context, entered by SigilModule's interceptor.
    const { lm, tags } = settings();
    return { answer, sources, model: lm?.model, requestId: tags?.requestId };
  }

  /**
   * `GET /answer/stream?question=…`: the answer as server-sent events while the LM writes it — `field`
   * events (`{ predictor, field, delta }`), `status` events, then one `prediction` event. A client that
   * disconnects stops the LM call.
   */
  @Sse('answer/stream')
  stream(@Query() query: AnswerRequest): Observable<MessageEvent> {
    return toServerSentEvents(this.answerer.stream({ question: query.question }));
  }
}
