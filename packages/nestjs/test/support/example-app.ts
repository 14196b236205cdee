import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../../../examples/nestjs-service/src/app.module';
import { validationPipe } from '../../../../examples/nestjs-service/src/validation-pipe';

/**
 * Boots examples/nestjs-service as its `main.ts` does (validation pipe, no logger) on its offline simulator
 * (`SIGIL_LM` unset for the suite, restored after) before the suite's tests, and closes it after them.
 * Returns a getter of the running application.
 */
export function useExampleApp(): () => INestApplication {
  let app: INestApplication | undefined;
  const sigilLM = process.env.SIGIL_LM;
  beforeAll(async () => {
    delete process.env.SIGIL_LM;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(validationPipe());
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    if (sigilLM !== undefined) process.env.SIGIL_LM = sigilLM;
  });
  return () => app!;
}
