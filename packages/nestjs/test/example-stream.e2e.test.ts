import 'reflect-metadata';
import request from 'supertest';
import { LMConnection } from '../../../examples/nestjs-service/src/lm/lm-connection';
import { useExampleApp } from './support/example-app';

/** The events of a server-sent event stream: `event:` name and parsed `data:`. */
function events(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data: JSON.parse(data) };
    });
}

describe('examples/nestjs-service GET /answer/stream streams the answer over SSE', () => {
  const app = useExampleApp();

  it('sends field events as the simulator streams, then the prediction', async () => {
    const response = await request(app().getHttpServer())
      .get('/answer/stream')
      .query({ question: 'Can I get a refund on a yearly plan?' })
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (part: Buffer) => (text += part.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    expect(response.headers['content-type']).toContain('text/event-stream');
    const received = events(response.body as string);
    const fields = received.filter((e) => e.event === 'field').map((e) => e.data);
    expect(fields.length).toBeGreaterThan(2);
    expect(new Set(fields.map((f) => `${f.predictor}.${f.field}`))).toEqual(
      new Set(['respond.predict.reasoning', 'respond.predict.answer']),
    );
    const last = received.at(-1)!;
    expect(last.event).toBe('prediction');
    const answer = fields
      .filter((f) => f.field === 'answer')
      .map((f) => f.delta)
      .join('');
    expect(last.data.prediction.answer).toBe(answer);
    expect(received[0]).toMatchObject({ event: 'status', data: { kind: 'module', name: 'SupportAnswerer' } });
    const requests = app().get(LMConnection).simulator!.chatRequests;
    expect(requests.at(-1)!.body.stream).toBe(true);
  });

  it('rejects a request without a question before any LM call', async () => {
    await request(app().getHttpServer()).get('/answer/stream').expect(400);
  });
});
