import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { LM } from '@sigil/core';
import { SigilHealthIndicator, SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer } from '@sigil/testing';

describe('SigilHealthIndicator', () => {
  const server = new FakeOpenAIServer({ reply: 'pong' });
  let health: SigilHealthIndicator;
  let lm: LM;

  beforeAll(async () => {
    await server.start();
    lm = new LM('openai/fake', { baseURL: server.baseURL, apiKey: 'sk-test', retry: { maxAttempts: 1 } });
    const moduleRef = await Test.createTestingModule({ imports: [SigilModule.forRoot({ lm })] }).compile();
    health = moduleRef.get(SigilHealthIndicator);
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  it('reports up when the LM answers one tiny uncached call', async () => {
    const result = await health.isHealthy('lm');
    expect(result).toEqual({ lm: { status: 'up', model: 'openai/fake', latencyMs: expect.any(Number) } });
    expect(server.chatRequests[0].body).toMatchObject({ max_tokens: 1 });
    await health.isHealthy('lm');
    expect(server.chatRequests).toHaveLength(2);
  });

  it('reports down with the reason when the endpoint fails', async () => {
    server.failNext({ kind: 'server-error', status: 503 });
    const result = await health.isHealthy('openai');
    expect(result.openai).toMatchObject({ status: 'down', model: 'openai/fake' });
    expect(result.openai.message).toMatch(/^HTTP 503: /);
  });

  it('reports down when the endpoint does not answer within the timeout', async () => {
    server.failNext('stall');
    const started = Date.now();
    const result = await health.isHealthy('lm', { timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.lm).toMatchObject({
      status: 'down',
      message: expect.stringMatching(/100 ms|timed out|abort/i),
    });
  });

  it('fails at boot when forRoot has no LM, naming what to pass', async () => {
    await expect(
      Test.createTestingModule({ imports: [SigilModule.forRoot({})] }).compile(),
    ).rejects.toMatchObject({
      code: 'NO_LM',
      message: expect.stringMatching(/SigilModule\.forRoot: no lm — pass \{ lm: new LM\(…\) \}/),
    });
  });

  it('reports down when the module has no LM (each request brings its own)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SigilModule.forRoot({ resolveRequestContext: () => undefined })],
    }).compile();
    const result = await moduleRef.get(SigilHealthIndicator).isHealthy();
    expect(result).toEqual({
      lm: { status: 'down', message: 'No LM is configured (SigilModule.forRoot({ lm })).' },
    });
  });
});
