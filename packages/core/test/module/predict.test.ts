import 'reflect-metadata';
import {
  AdapterParseError,
  ChainOfThought,
  configure,
  ConfigurationError,
  context,
  Input,
  ModuleInputError,
  Output,
  OutputValidationError,
  Predict,
  Signature,
  signature,
} from '@sigil/core';
import { ScriptedLM } from '@sigil/testing';
import { IsIn } from 'class-validator';
import { chatReply, lastUserOf, systemOf } from './replies';

@Signature('Answer the question.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

@Signature('Classify the sentiment of a product review.')
class Sentiment {
  @Input() review!: string;
  @Output() @IsIn(['positive', 'negative', 'neutral']) label!: string;
}

describe('Predict', () => {
  afterEach(() => configure({ lm: undefined }));

  it('formats the signature, calls the LM and returns typed outputs with usage', async () => {
    const lm = new ScriptedLM([chatReply({ answer: 'Paris' })], {
      usage: { promptTokens: 7, completionTokens: 3 },
    });
    const out = await new Predict(QA, { lm }).forward({ question: 'Capital of France?' });
    expect(out.answer).toBe('Paris');
    expect(out.usage.totalTokens).toBe(10);
    expect(systemOf(lm.calls[0].messages)).toContain('Answer the question.');
    expect(lastUserOf(lm.calls[0].messages)).toMatch(/^\[\[ ## question ## \]\]\nCapital of France\?/);
  });

  it('throws ConfigurationError naming the signature when no LM is configured', async () => {
    configure({ lm: undefined });
    const predict = new Predict(QA);
    await expect(predict.forward({ question: 'q' })).rejects.toThrow(ConfigurationError);
    await expect(predict.forward({ question: 'q' })).rejects.toThrow(
      /Predict\(QA\) has no LM: call configure/,
    );
  });

  it('throws ModuleInputError listing the missing inputs, before calling the LM', async () => {
    const lm = new ScriptedLM([]);
    const error = await new Predict(signature('context, question -> answer'), { lm })
      .forward({ question: 'q' } as any)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleInputError);
    expect((error as ModuleInputError).fields).toEqual(['context']);
    expect((error as Error).message).toContain(
      'missing input field(s) "context"; it takes { context, question }',
    );
    expect(lm.calls).toHaveLength(0);
  });

  it('uses the LM of the innermost context over configure()', async () => {
    const root = new ScriptedLM([chatReply({ answer: 'root' })]);
    const scoped = new ScriptedLM([chatReply({ answer: 'scoped' })]);
    configure({ lm: root });
    const predict = new Predict(QA);
    const out = await context({ lm: scoped }, () => predict.forward({ question: 'q' }));
    expect(out.answer).toBe('scoped');
    expect(root.calls).toHaveLength(0);
  });

  it('falls back to JSONAdapter once when the ChatAdapter reply has no markers', async () => {
    const lm = new ScriptedLM(['Paris, obviously.', '{"answer": "Paris"}']);
    const out = await new Predict(QA, { lm }).forward({ question: 'Capital?' });
    expect(out.answer).toBe('Paris');
    expect(lm.calls).toHaveLength(2);
    expect(systemOf(lm.calls[0].messages)).toContain('[[ ## answer ## ]]');
    expect(systemOf(lm.calls[1].messages)).not.toBe(systemOf(lm.calls[0].messages));
    expect(lastUserOf(lm.calls[1].messages)).toContain('JSON');
  });

  it('falls back only once, then feeds the parse failure back until the retries are spent', async () => {
    const lm = new ScriptedLM(() => 'no structure at all');
    const error = await new Predict(QA, { lm, maxRetries: 1 })
      .forward({ question: 'q' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterParseError);
    // ChatAdapter, JSONAdapter, one feedback retry through JSONAdapter.
    expect(lm.calls).toHaveLength(3);
    const retry = lm.calls[2].messages;
    expect(retry[retry.length - 2]).toEqual({ role: 'assistant', content: 'no structure at all' });
    expect(lastUserOf(retry)).toMatch(/^Your previous response could not be used/);
  });

  it('feeds a class-validator violation back to the model and accepts the corrected reply', async () => {
    const lm = new ScriptedLM([chatReply({ label: 'great' }), chatReply({ label: 'positive' })]);
    const out = await new Predict(Sentiment, { lm }).forward({ review: 'Love it' });
    expect(out.label).toBe('positive');
    expect(lm.calls).toHaveLength(2);
    const retry = lm.calls[1].messages;
    expect(retry[retry.length - 2].role).toBe('assistant');
    expect(lastUserOf(retry)).toContain('label');
  });

  it('throws OutputValidationError after the retries when the reply keeps breaking a constraint', async () => {
    const lm = new ScriptedLM(() => chatReply({ label: 'ecstatic' }));
    const error = await new Predict(Sentiment, { lm, maxRetries: 2 })
      .forward({ review: 'Love it' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputValidationError);
    expect((error as OutputValidationError).signatureName).toBe('Sentiment');
    expect((error as OutputValidationError).completion).toContain('ecstatic');
    expect(lm.calls).toHaveLength(3);
  });

  it('returns every parsed completion when asked for n > 1 samples', async () => {
    const lm = new ScriptedLM([[chatReply({ answer: 'A' }), 'garbage', chatReply({ answer: 'B' })]]);
    const out = await new Predict(QA, { lm, config: { n: 3 } }).forward({ question: 'q' });
    expect(lm.calls[0].options.n).toBe(3);
    expect(out.answer).toBe('A');
    expect(out.completions).toEqual([{ answer: 'A' }, { answer: 'B' }]);
  });

  it('merges per-call config over the module config', async () => {
    const lm = new ScriptedLM([chatReply({ answer: 'x' })]);
    await new Predict(QA, { lm, config: { temperature: 0, maxTokens: 5 } }).forward(
      { question: 'q' },
      { config: { temperature: 0.7 } },
    );
    expect(lm.calls[0].options).toMatchObject({ temperature: 0.7, maxTokens: 5 });
  });

  it('uses its demos as user/assistant turns before the question', async () => {
    const lm = new ScriptedLM([chatReply({ answer: 'x' })]);
    const predict = new Predict(QA, { lm });
    predict.demos = [{ question: 'q1', answer: 'a1' }];
    await predict.forward({ question: 'q2' });
    const roles = lm.calls[0].messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
    expect(lm.calls[0].messages[2].content).toBe('[[ ## answer ## ]]\na1\n\n[[ ## completed ## ]]\n');
  });
});

describe('ChainOfThought', () => {
  it('prepends a reasoning output and returns it before the answer', async () => {
    const lm = new ScriptedLM([chatReply({ reasoning: 'France → Paris', answer: 'Paris' })]);
    const cot = new ChainOfThought(QA, { lm });
    expect(cot.predict.signature.outputNames).toEqual(['reasoning', 'answer']);
    expect(cot.predict.signature.field('reasoning')).toMatchObject({ prefix: 'Reasoning:', desc: undefined });
    const out = await cot.forward({ question: 'Capital of France?' });
    expect(out.reasoning).toBe('France → Paris');
    expect(out.answer).toBe('Paris');
    expect(systemOf(lm.calls[0].messages)).toContain(
      'Your output fields are:\n1. `reasoning` (str): \n2. `answer` (str):',
    );
  });

  it('fails like Predict when the reasoning is missing from every reply', async () => {
    const lm = new ScriptedLM(() => chatReply({ answer: 'Paris' }));
    await expect(new ChainOfThought(QA, { lm, maxRetries: 0 }).forward({ question: 'q' })).rejects.toThrow(
      AdapterParseError,
    );
  });

  it('is found by reflection as its inner predictor', () => {
    expect(new ChainOfThought(QA).namedPredictors().map(([path]) => path)).toEqual(['predict']);
  });
});

describe('inputs checked at the call', () => {
  const lm = new ScriptedLM(['[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]'], { cycle: true });
  const plans = signature('plan: Literal["free", "pro"], ticket: str, tags: list[str] -> answer');

  it('rejects an input of the wrong type, naming the field, the type and the value', async () => {
    const predict = new Predict(plans, { lm });
    const wrong = await predict
      .forward({ plan: 'gold', ticket: 42, tags: ['a'] } as never)
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ModuleInputError);
    expect(wrong).toMatchObject({ code: 'MODULE_INPUT', fields: ['plan', 'ticket'] });
    expect((wrong as Error).message).toMatch(
      /"plan" must be one of 'free', 'pro', got "gold"; "ticket" must be a string, got number 42/,
    );
    await expect(
      predict.forward({ plan: 'pro', ticket: 'T-1', tags: ['a', 3] } as never),
    ).rejects.toMatchObject({
      code: 'MODULE_INPUT',
      message: expect.stringMatching(/"tags" item 1 must be a string/),
    });
    expect(lm.calls).toHaveLength(0);
  });

  it('sends the values as they are when validateInputs is off', async () => {
    const predict = new Predict(plans, { lm, validateInputs: false });
    await expect(predict.forward({ plan: 'gold', ticket: 42, tags: [] } as never)).resolves.toMatchObject({
      answer: 'Paris',
    });
  });

  it('names the module that owns the predictor in its errors', async () => {
    const cot = new ChainOfThought(signature('question -> answer'));
    await expect(cot.forward({ question: 'q' })).rejects.toThrow(
      /^ChainOfThought\(StringSignature\) has no LM/,
    );
    expect(() => new ChainOfThought(signature('question -> reasoning, answer'))).toThrow(
      /ChainOfThought\(StringSignature\): the signature already has a field "reasoning", which ChainOfThought adds itself/,
    );
  });
});
