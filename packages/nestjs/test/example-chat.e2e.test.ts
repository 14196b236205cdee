import 'reflect-metadata';
import request from 'supertest';
import { LMConnection } from '../../../examples/nestjs-service/src/lm/lm-connection';
import { useExampleApp } from './support/example-app';

describe('examples/nestjs-service POST /chat/:id keeps a History per conversation', () => {
  const app = useExampleApp();

  const lastPrompt = () => {
    const requests = app().get(LMConnection).simulator!.chatRequests;
    return requests[requests.length - 1].body.messages as { role: string; content: string }[];
  };

  it('sends the earlier turns of the same conversation, and only those, with each new message', async () => {
    const server = app().getHttpServer();
    const first = await request(server)
      .post('/chat/alice')
      .send({ message: 'Can I get a refund on a yearly plan?' })
      .expect(200);
    expect(first.body).toMatchObject({
      answer: 'Annual plans can be refunded in full within 30 days of purchase.',
      turn: 1,
    });
    expect(first.body.tokens).toBeGreaterThan(0);
    expect(lastPrompt().map((m) => m.role)).toEqual(['system', 'user']);

    await request(server).post('/chat/bob').send({ message: 'How do I cancel?' }).expect(200);
    const second = await request(server)
      .post('/chat/alice')
      .send({ message: 'And how do I cancel?' })
      .expect(200);
    expect(second.body.turn).toBe(2);
    const prompt = lastPrompt();
    expect(prompt.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(prompt[1].content).toContain('Can I get a refund on a yearly plan?');
    expect(prompt[2].content).toContain('Annual plans can be refunded');
    expect(JSON.stringify(prompt)).not.toContain('How do I cancel?\n');

    const history = await request(server).get('/chat/alice').expect(200);
    expect(history.body.messages).toEqual([
      { question: 'Can I get a refund on a yearly plan?', answer: first.body.answer },
      { question: 'And how do I cancel?', answer: second.body.answer },
    ]);
    const bob = await request(server).get('/chat/bob').expect(200);
    expect(bob.body.messages).toHaveLength(1);
  });

  it('validates the message and the conversation id', async () => {
    const server = app().getHttpServer();
    const empty = await request(server).post('/chat/alice').send({ message: '' }).expect(400);
    expect(empty.body.message).toEqual(['message should not be empty']);
    await request(server).post('/chat/bad%20id!').send({ message: 'hi' }).expect(400);
  });
});
