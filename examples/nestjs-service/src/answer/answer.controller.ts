import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { settings } from '@sigil/core';
import { InjectProgram } from '@sigil/nestjs';
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
}
