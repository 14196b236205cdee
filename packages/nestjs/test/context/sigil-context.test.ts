import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Predict, settings, signature, type Callback } from '@sigil/core';
import { SigilContext, SigilModule, type SigilOptionsFactory } from '@sigil/nestjs';
import { ScriptedLM } from '@sigil/testing';
import request from 'supertest';
import { AnswerController, RAG, RetrievalModule } from '../fixtures/rag-app';

const answer = (text: string) =>
  `[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\n${text}\n\n[[ ## completed ## ]]`;
const CONFIG = Symbol('CONFIG');

@Module({ providers: [{ provide: CONFIG, useValue: { model: 'from-config' } }], exports: [CONFIG] })
class ConfigModule {}

@Controller()
class TagsController {
  @Get('tags')
  async tags() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { tags: settings().tags ?? {}, model: settings().lm?.model ?? null };
  }
}

async function appWith(sigil: ReturnType<typeof SigilModule.forRoot>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [sigil, SigilModule.forFeature([{ program: RAG }], { imports: [RetrievalModule] })],
    controllers: [AnswerController, TagsController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('Sigil settings through DI', () => {
  it('keeps two applications in one process on their own LMs', async () => {
    const first = await appWith(
      SigilModule.forRoot({ lm: new ScriptedLM(() => answer('first'), { model: 'one' }) }),
    );
    const second = await appWith(
      SigilModule.forRoot({ lm: new ScriptedLM(() => answer('second'), { model: 'two' }) }),
    );
    const [a, b] = await Promise.all([
      request(first.getHttpServer()).post('/answer').send({ question: 'q' }),
      request(second.getHttpServer()).post('/answer').send({ question: 'q' }),
    ]);
    expect(a.body.answer).toBe('first');
    expect(b.body.answer).toBe('second');
    expect(settings().lm).toBeUndefined();
    await Promise.all([first.close(), second.close()]);
  });

  it('builds the options with forRootAsync useClass and useExisting, and refuses zero or two ways', async () => {
    @Injectable()
    class SigilConfig implements SigilOptionsFactory {
      constructor(@Inject(CONFIG) private readonly config: { model: string }) {}
      createSigilOptions() {
        return { lm: new ScriptedLM(() => answer('built'), { model: `${this.config.model}-class` }) };
      }
    }
    @Module({ imports: [ConfigModule], providers: [SigilConfig], exports: [SigilConfig] })
    class SigilConfigModule {}
    const viaClass = await appWith(
      SigilModule.forRootAsync({ imports: [ConfigModule], useClass: SigilConfig }),
    );
    expect((await request(viaClass.getHttpServer()).get('/tags')).body.model).toBe('from-config-class');
    await viaClass.close();
    const viaExisting = await appWith(
      SigilModule.forRootAsync({ imports: [SigilConfigModule], useExisting: SigilConfig }),
    );
    expect((await request(viaExisting.getHttpServer()).get('/tags')).body.model).toBe('from-config-class');
    await viaExisting.close();
    expect(() => SigilModule.forRootAsync({ imports: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() =>
      SigilModule.forRootAsync({ useClass: SigilConfig, useFactory: () => ({ lm: new ScriptedLM(['x']) }) }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('builds the options with forRootAsync from injected providers', async () => {
    const app = await appWith(
      SigilModule.forRootAsync({
        imports: [ConfigModule],
        inject: [CONFIG],
        useFactory: async (config: { model: string }) => ({
          lm: new ScriptedLM(() => answer('configured'), { model: config.model }),
          tags: { service: 'answers' },
        }),
      }),
    );
    const res = await request(app.getHttpServer()).get('/tags').expect(200);
    expect(res.body).toEqual({
      tags: { service: 'answers', requestId: expect.any(String) },
      model: 'from-config',
    });
    await app.close();
  });

  it('merges per-request tags over the module tags, from an async resolver', async () => {
    const app = await appWith(
      SigilModule.forRoot({
        lm: new ScriptedLM(() => answer('x')),
        tags: { service: 'answers', tenant: 'default' },
        resolveRequestContext: async (req) => ({ tags: { tenant: String(req.headers['x-tenant']) } }),
      }),
    );
    const res = await request(app.getHttpServer()).get('/tags').set('x-tenant', 'acme').expect(200);
    expect(res.body.tags).toEqual({ service: 'answers', tenant: 'acme', requestId: expect.any(String) });
    await app.close();
  });

  it('answers 500 through Nest when the resolver throws, and runs no handler', async () => {
    const app = await appWith(
      SigilModule.forRoot({
        lm: new ScriptedLM(() => answer('x')),
        resolveRequestContext: () => {
          throw new Error('no tenant');
        },
      }),
    );
    await request(app.getHttpServer()).get('/tags').expect(500);
    await app.close();
  });

  it('runs code outside requests in the module settings with SigilContext.run', async () => {
    const seen: unknown[] = [];
    const callback: Callback = { onStart: (event) => seen.push({ kind: event.kind, tags: event.tags }) };
    const app = await appWith(
      SigilModule.forRoot({
        lm: new ScriptedLM(() => '[[ ## answer ## ]]\nok\n\n[[ ## completed ## ]]'),
        callbacks: [callback],
      }),
    );
    const sigil = app.get(SigilContext);
    const predict = new Predict(signature('question -> answer'));
    const out = await sigil.run(() => predict.forward({ question: 'q' }), { tags: { job: 'nightly' } });
    expect(out.answer).toBe('ok');
    expect(seen).toContainEqual({ kind: 'module', tags: { job: 'nightly' } });
    await expect(predict.forward({ question: 'q' })).rejects.toThrow(/has no LM/);
    await app.close();
  });
});
