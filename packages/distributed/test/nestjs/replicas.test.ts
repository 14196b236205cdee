import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { Test } from '@nestjs/testing';
import { sharedLM, type SharedLM } from '@sigil/distributed';
import { startRedisServer, type RedisServer } from '@sigil/distributed/internal';
import { SigilContext, SigilModule } from '@sigil/nestjs';
import { FakeOpenAIServer } from '@sigil/testing';

jest.setTimeout(30_000);

let redis: RedisServer;
const server = new FakeOpenAIServer({ reply: (request) => `echo ${request.body.messages.at(-1)?.content}` });

beforeAll(async () => {
  redis = await startRedisServer();
  await server.start();
});
afterAll(async () => {
  await server.stop();
  await redis.stop();
  rmSync(redis.dir, { recursive: true, force: true });
});

/** One replica of a service: its own Nest module, LM, memory cache and Redis connections. */
async function replica(): Promise<{ sigil: SigilContext; shared: SharedLM; close: () => Promise<void> }> {
  const shared = sharedLM('openai/fake', {
    redis: redis.url,
    namespace: 'nest-service',
    baseURL: server.baseURL,
    apiKey: 'sk-test',
    requestsPerMinute: 600,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [SigilModule.forRoot({ lm: shared.lm, cache: shared })],
  }).compile();
  const app = moduleRef.createNestApplication();
  await app.init();
  return {
    sigil: app.get(SigilContext),
    shared,
    close: async () => {
      await app.close();
      await shared.close();
    },
  };
}

describe('NestJS replicas with sharedLM', () => {
  it('share one LM cache: what one replica paid for, another serves as a hit', async () => {
    const [a, b] = [await replica(), await replica()];
    try {
      const ask = (r: typeof a) =>
        r.sigil.run(() => r.sigil.settings.lm!.call([{ role: 'user', content: 'hello' }]));
      expect((await ask(a)).cached).toBe(false);
      expect((await ask(b)).cached).toBe(true);
      expect(server.chatRequests).toHaveLength(1);
      expect(a.shared.scheduler).toBeDefined();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('reports Redis in the health check, up and then down', async () => {
    const r = await replica();
    try {
      expect(await r.shared.isHealthy('redis')).toEqual({
        redis: { status: 'up', url: redis.url, latencyMs: expect.any(Number) },
      });
      await redis.kill();
      const down = await r.shared.isHealthy('redis', 500);
      expect(down.redis).toMatchObject({ status: 'down', url: redis.url });
      redis = await startRedisServer({ port: redis.port, dir: redis.dir });
    } finally {
      await r.close();
    }
  });
});
