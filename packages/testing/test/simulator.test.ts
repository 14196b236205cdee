import 'reflect-metadata';
import {
  ChainOfThought,
  type ChatMessage,
  context,
  Input,
  JSONAdapter,
  oneOf,
  Output,
  Predict,
  ReAct,
  Signature,
  Tool,
} from '@sigil/core';
import { readPrompt, type SimulatedItem, TaskSimulator } from '@sigil/testing';

@Signature('Classify the colour family of a fruit.')
class FruitColour {
  @Input() fruit!: string;
  @Output({ type: oneOf('red', 'yellow', 'green') }) colour!: string;
}

@Signature('Answer from the context.')
class ContextQA {
  @Input({ type: [String] }) context!: string[];
  @Input() question!: string;
  @Output() answer!: string;
}

@Signature('Answer the question.')
class Question {
  @Input() question!: string;
  @Output() answer!: string;
}

const COLOURS = ['red', 'yellow', 'green'];
const fruits: SimulatedItem[] = Array.from({ length: 120 }, (_, i) => ({
  inputs: { fruit: `fruit number ${i}` },
  answers: { colour: COLOURS[i % 3] },
}));

/** Messages the simulator would receive from `predictor` for `inputs` (captured, then answered). */
async function messagesOf(predictor: Predict, inputs: Record<string, unknown>): Promise<ChatMessage[]> {
  let captured: ChatMessage[] = [];
  const simulator = new TaskSimulator({ items: fruits });
  const spy = {
    model: 'spy',
    call: (messages: ChatMessage[], options?: object) => {
      captured = messages;
      return simulator.call(messages, options);
    },
  };
  await context({ lm: spy }, () => predictor.forward(inputs));
  return captured;
}

/** Share of the items the program gets right against `simulator`. */
async function accuracy(simulator: TaskSimulator, predictor: Predict | ChainOfThought): Promise<number> {
  let right = 0;
  await context({ lm: simulator }, async () => {
    for (const item of fruits) {
      const out = (await predictor.forward(item.inputs as { fruit: string })) as unknown as {
        colour: string;
      };
      if (out.colour === item.answers.colour) right++;
    }
  });
  return right / fruits.length;
}

const demosOf = (items: SimulatedItem[], wrong = false) =>
  items.map((item, i) => ({
    ...item.inputs,
    colour: wrong ? COLOURS[(i + 1) % 3] : item.answers.colour,
  }));

describe('TaskSimulator', () => {
  it('gives the same answers for the same seed and prompt, and other answers for another seed', async () => {
    const run = async (seed: number) => {
      const simulator = new TaskSimulator({ items: fruits, seed });
      const predictor = new Predict(FruitColour);
      return context({ lm: simulator }, () =>
        Promise.all(fruits.map(async (item) => (await predictor.forward(item.inputs)).colour)),
      );
    };
    const first = await run(1);
    expect(await run(1)).toEqual(first);
    expect(await run(2)).not.toEqual(first);
  });

  it('answers correctly more often with a better instruction, correct demos and reasoning', async () => {
    const simulator = new TaskSimulator({
      items: fruits,
      instructions: [
        { text: 'Guess.', quality: 0 },
        { text: 'Name the exact colour family of the fruit.', quality: 1 },
      ],
    });
    const plain = new Predict(FruitColour);
    plain.instructions = 'Guess.';
    const instructed = new Predict(FruitColour);
    instructed.instructions = 'Name the exact colour family of the fruit.';
    const withDemos = instructed.clone();
    withDemos.demos = demosOf(fruits.slice(0, 4));
    const withWrongDemos = instructed.clone();
    withWrongDemos.demos = demosOf(fruits.slice(0, 4), true);
    const reasoning = new ChainOfThought(FruitColour);
    reasoning.predict.instructions = 'Guess.';

    const base = await accuracy(simulator, plain);
    expect(base).toBeGreaterThan(0.15);
    expect(base).toBeLessThan(0.5);
    expect(await accuracy(simulator, instructed)).toBeGreaterThan(base + 0.15);
    expect(await accuracy(simulator, withDemos)).toBeGreaterThan(await accuracy(simulator, instructed));
    expect(await accuracy(simulator, withWrongDemos)).toBeLessThan(await accuracy(simulator, instructed));
    expect(await accuracy(simulator, reasoning)).toBeGreaterThan(base);

    const chance = (predictor: Predict) => messagesOf(predictor, fruits[50].inputs);
    const w = simulator.weights;
    expect(simulator.accuracyOf(readPrompt(await chance(plain)))).toBeCloseTo(w.base);
    expect(simulator.accuracyOf(readPrompt(await chance(instructed)))).toBeCloseTo(w.base + w.instruction);
    expect(simulator.accuracyOf(readPrompt(await chance(withDemos)))).toBeCloseTo(
      w.base + w.instruction + 4 * w.perDemo,
    );
  });

  it('replies in JSON when the prompt asks for a JSON object, in ChatAdapter markers otherwise', async () => {
    const simulator = new TaskSimulator({ items: fruits });
    const adapterMessages = new JSONAdapter().format(
      new Predict(FruitColour).signature,
      [],
      fruits[0].inputs,
    );
    const json = JSON.parse((await simulator.call(adapterMessages)).completions[0].text) as {
      colour: string;
    };
    expect(COLOURS).toContain(json.colour);
    const chat = (await simulator.call(await messagesOf(new Predict(FruitColour), fruits[0].inputs)))
      .completions[0].text;
    expect(chat).toMatch(/^\[\[ ## colour ## \]\]\n(red|yellow|green)\n\n\[\[ ## completed ## \]\]$/);
    const parsed = await context({ lm: simulator, adapter: new JSONAdapter() }, () =>
      new Predict(FruitColour).forward(fruits[0].inputs),
    );
    expect(COLOURS).toContain(parsed.colour);
  });

  it('answers instruction proposals from its candidates, avoiding those already tried', async () => {
    const proposals = ['Be precise.', 'Think step by step.'];
    const simulator = new TaskSimulator({ items: fruits, proposals });
    @Signature('Propose an instruction.')
    class Propose {
      @Input() previous_instructions!: string;
      @Output() proposed_instruction!: string;
    }
    const proposer = new Predict(Propose);
    const out = await context({ lm: simulator }, () =>
      proposer.forward({ previous_instructions: 'Be precise.' }),
    );
    expect(out.proposed_instruction).toBe('Think step by step.');
    expect(simulator.instructionQuality('Think step by step, carefully.')).toBeGreaterThan(
      simulator.instructionQuality('Guess quickly.'),
    );
  });

  it('matches items by the matchOn inputs alone when other inputs (retrieved passages) vary', async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({
      inputs: { question: `Capital of island ${i}?` },
      answers: { answer: `Town${i}` },
    }));
    const strict = new TaskSimulator({ items, weights: { base: 1 } });
    const loose = new TaskSimulator({ items, matchOn: ['question'], weights: { base: 1 } });
    const qa = new Predict(ContextQA);
    const answers = (simulator: TaskSimulator) =>
      context({ lm: simulator }, () =>
        Promise.all(
          items.map(async (item, i) => {
            const inputs = {
              context: [`Town${i} is the capital of island ${i}.`],
              question: item.inputs.question,
            };
            return (await qa.forward(inputs)).answer;
          }),
        ),
      );
    expect(await answers(strict)).toEqual(items.map(() => 'Simulated answer for the task.'));
    const right = (await answers(loose)).filter((answer, i) => answer === items[i].answers.answer);
    expect(right.length).toBeGreaterThanOrEqual(17);
  });

  it('with groundedAnswers, knows an answer reliably only when the context holds it', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      inputs: { question: `What is code ${i}?` },
      answers: { answer: `word${i}` },
    }));
    const simulator = new TaskSimulator({
      items,
      matchOn: ['question'],
      groundedAnswers: true,
      weights: { base: 0.9 },
    });
    const qa = new Predict(ContextQA);
    const score = async (withAnswer: boolean) => {
      let right = 0;
      await context({ lm: simulator }, async () => {
        for (const [i, item] of items.entries()) {
          const passage = withAnswer ? `Code ${i} is ${item.answers.answer}.` : `Code ${i} is secret.`;
          const out = await qa.forward({ context: [passage], question: item.inputs.question });
          if (out.answer === item.answers.answer) right++;
        }
      });
      return right / items.length;
    };
    expect(await score(true)).toBeGreaterThan(0.75);
    expect(await score(false)).toBeLessThan(0.2);
  });

  it('acts as a ReAct agent: searches with the question once, then finishes, and the extract step answers', async () => {
    const queries: string[] = [];
    const search = new Tool(
      ({ query }: { query: string }) => {
        queries.push(query);
        return ['Saltmere is the capital of Maren.'];
      },
      { name: 'search', desc: 'Searches.', args: { query: { type: 'string' } } },
    );
    const add = new Tool(({ a, b }: { a: number; b: number }) => a + b, {
      name: 'add',
      args: { a: { type: 'number' }, b: { type: 'number' } },
    });
    const items = [{ inputs: { question: 'Capital of Maren?' }, answers: { answer: 'Saltmere' } }];
    const simulator = new TaskSimulator({
      items,
      matchOn: ['question'],
      groundedAnswers: true,
      weights: { base: 1 },
    });
    const agent = new ReAct(Question, { tools: [add, search], maxIters: 5 });
    const out = await context({ lm: simulator }, () => agent.forward({ question: 'Capital of Maren?' }));
    expect(queries).toEqual(['Capital of Maren?']);
    expect(out.trajectory.tool_name_0).toBe('search');
    expect(out.trajectory.tool_name_1).toBe('finish');
    expect(out.trajectory).not.toHaveProperty('tool_name_2');
    expect(out.answer).toBe('Saltmere');
  });
});
