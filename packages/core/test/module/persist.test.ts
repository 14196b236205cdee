import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChainOfThought,
  Input,
  Output,
  Param,
  Predict,
  Predictor,
  Program,
  ProgramStateError,
  SIGIL_VERSION,
  Signature,
} from '@sigil/core';

@Signature('Answer the question.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

class RAG extends Program {
  @Predictor() draft = new ChainOfThought(QA);
  @Predictor() respond = new Predict(QA);
  @Param({ choices: [1, 3, 5] }) k = 3;
  async forward(x: { question: string }) {
    return this.respond.forward(x);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sigil-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function optimized(): RAG {
  const program = new RAG();
  program.draft.predict.instructions = 'Think, then answer.';
  program.draft.predict.demos = [{ question: 'q1', reasoning: 'r1', answer: 'a1', augmented: true }];
  program.respond.demos = [{ question: 'q2', answer: 'a2' }];
  program.k = 5;
  return program;
}

describe('save and load', () => {
  it('round-trips instructions, demos and @Params through a DSPy-format file', async () => {
    const file = join(dir, 'nested', 'rag.json');
    await optimized().save(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved)).toEqual(['draft.predict', 'respond', 'metadata']);
    expect(saved['draft.predict'].signature).toEqual({
      instructions: 'Think, then answer.',
      fields: [
        { prefix: 'Question:', description: '${question}' },
        { prefix: 'Reasoning:', description: '${reasoning}' },
        { prefix: 'Answer:', description: '${answer}' },
      ],
    });
    // Only the keys DSPy's load() knows go into dependency_versions; Sigil's own section is metadata.sigil.
    expect(saved.metadata).toEqual({
      dependency_versions: { python: '3.11', dspy: '3.3.1', cloudpickle: '3.1' },
      sigil: { version: SIGIL_VERSION, params: { k: 5 } },
    });
    const loaded = await new RAG().load(file);
    expect(loaded.draft.predict.instructions).toBe('Think, then answer.');
    expect(loaded.draft.predict.demos).toEqual([
      { question: 'q1', reasoning: 'r1', answer: 'a1', augmented: true },
    ]);
    expect(loaded.respond.demos).toEqual([{ question: 'q2', answer: 'a2' }]);
    expect(loaded.k).toBe(5);
    expect(loaded.dumpState()).toEqual(optimized().dumpState());
  });

  it('saves a lone Predict flat, as DSPy does, and loads it back', () => {
    const predict = new Predict(QA);
    predict.demos = [{ question: 'q', answer: 'a' }];
    const state = predict.dumpState();
    expect(Object.keys(state)).toEqual(['traces', 'train', 'demos', 'signature', 'lm', 'metadata']);
    expect(new Predict(QA).loadState(state).demos).toEqual([{ question: 'q', answer: 'a' }]);
  });
});

describe('ProgramStateError', () => {
  const valid = () => JSON.parse(JSON.stringify(optimized().dumpState()));

  /** Loading must fail with this message and leave the program exactly as it was. */
  async function expectRejected(load: (p: RAG) => unknown, message: RegExp | string, path?: string) {
    const program = new RAG();
    program.respond.instructions = 'Untouched.';
    const before = JSON.stringify(program.dumpState());
    let error: unknown;
    try {
      await load(program);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProgramStateError);
    expect((error as Error).message).toMatch(message);
    if (path !== undefined) expect((error as ProgramStateError).path).toBe(path);
    expect(JSON.stringify(program.dumpState())).toBe(before);
  }

  function writeState(name: string, content: string): string {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  }

  it('rejects a file that is not JSON, naming the file', async () => {
    const file = writeState('broken.json', '{"respond": ');
    await expectRejected((p) => p.load(file), new RegExp(`^Saved program ${file} is not valid JSON: `));
  });

  it('rejects a missing file and says how to make one', async () => {
    const file = join(dir, 'absent.json');
    await expectRejected(
      (p) => p.load(file),
      `Saved program ${file} does not exist — run the optimizer with --out ${file} first, or fix the path.`,
    );
  });

  it('rejects a JSON value that is not an object', async () => {
    await expectRejected(
      (p) => p.loadState([]),
      'A saved program must be a JSON object keyed by predictor path.',
    );
  });

  it('rejects an unknown predictor, listing the program’s predictors', async () => {
    const state = valid();
    state.retrieve = state.respond;
    await expectRejected(
      (p) => p.loadState(state),
      'Saved program has predictor "retrieve", which this program (RAG) does not have; its predictors are "draft.predict", "respond".',
      'retrieve',
    );
  });

  it('says a lone Predict’s flat file is one, instead of blaming a predictor named "traces"', async () => {
    const flat = new Predict(QA).dumpState();
    let error: unknown;
    try {
      new RAG().loadState(flat);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProgramStateError);
    expect((error as Error).message).toMatch(
      /holds a single predictor saved flat \(a lone Predict's state, keys traces, train, demos, signature, lm\), but this program \(RAG\) has the predictors "draft.predict", "respond"/,
    );
    expect((error as Error).message).not.toMatch(/predictor "traces"/);
  });

  it('rejects a file that lacks one of the program’s predictors', async () => {
    const state = valid();
    delete state['draft.predict'];
    const file = writeState('missing-predictor.json', JSON.stringify(state));
    await expectRejected(
      (p) => p.load(file),
      `Saved program has no state for predictor "draft.predict" of RAG in ${file}.`,
      'draft.predict',
    );
  });

  it('rejects a signature with a different number of fields', async () => {
    const state = valid();
    state.respond.signature.fields.push({ prefix: 'Extra:', description: 'x' });
    await expectRejected(
      (p) => p.loadState(state),
      'Predictor "respond": the saved signature has 3 fields but QA has 2 (question, answer).',
      'respond',
    );
  });

  it('rejects a demo with a field the signature lacks', async () => {
    const state = valid();
    state['draft.predict'].demos.push({ question: 'q', answr: 'typo', augmented: true });
    await expectRejected(
      (p) => p.loadState(state),
      'Predictor "draft.predict": demo 1 has field "answr", which signature QA lacks (fields: question, reasoning, answer).',
      'draft.predict',
    );
  });

  it('keeps a labelled demo that carries fields of other steps, and rejects one with none of this step', async () => {
    const shared = valid();
    shared.respond.demos.push({ question: 'q', answer: 'a', context: 'passage of another step' });
    const program = new RAG().loadState(shared);
    expect(program.respond.demos.at(-1)).toEqual({
      question: 'q',
      answer: 'a',
      context: 'passage of another step',
    });
    const foreign = valid();
    foreign.respond.demos.push({ topic: 'x' });
    await expectRejected(
      (p) => p.loadState(foreign),
      'Predictor "respond": demo 1 has none of the fields of signature QA (question, answer).',
      'respond',
    );
  });

  it('rejects a @Param value outside its choices, and an unknown @Param', async () => {
    const state = valid();
    state.metadata.sigil.params.k = 4;
    await expectRejected(
      (p) => p.loadState(state),
      'Saved @Param "k" = 4 is not one of its choices [1,3,5].',
      'k',
    );
    state.metadata.sigil.params = { depth: 2 };
    await expectRejected(
      (p) => p.loadState(state),
      'Saved @Param "depth" does not exist in this program (RAG).',
      'depth',
    );
  });

  it('rejects demos that are not a list of objects', async () => {
    const state = valid();
    state.respond.demos = [['q', 'a']];
    await expectRejected(
      (p) => p.loadState(state),
      'Predictor "respond": demo 0 must be an object of field values.',
    );
  });

  it('accepts DSPy’s labelled examples that carry other predictors’ fields', () => {
    const state = valid();
    state['draft.predict'].demos.push({ question: 'q', final: 'x', dspy_uuid: 'u1', dspy_split: 'train' });
    expect(new RAG().loadState(state).draft.predict.demos).toHaveLength(2);
  });
});
