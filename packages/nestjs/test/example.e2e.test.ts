import 'reflect-metadata';
import request from 'supertest';
import { useExampleApp } from './support/example-app';

describe('examples/nestjs-service against its simulator', () => {
  const app = useExampleApp();

  it('answers POST /answer from the retrieved passages, with the request id it was given', async () => {
    const res = await request(app().getHttpServer())
      .post('/answer')
      .set('x-request-id', 'example-1')
      .send({ question: 'Can I get a refund on a yearly plan?' })
      .expect(200);
    expect(res.body).toEqual({
      answer: 'Annual plans can be refunded in full within 30 days of purchase.',
      sources: expect.arrayContaining(['refunds']),
      model: 'simulator/support',
      requestId: 'example-1',
    });
    expect(res.body.sources[0]).toBe('refunds');
  });

  it('validates the body', async () => {
    const res = await request(app().getHttpServer()).post('/answer').send({ question: '' }).expect(400);
    expect(res.body.message).toEqual(['question should not be empty']);
  });

  it('reports the LM healthy', async () => {
    const res = await request(app().getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      details: { lm: { status: 'up', model: 'simulator/support' } },
    });
  });
});
