import 'reflect-metadata';
import {
  ChainOfThought,
  Input,
  Output,
  Param,
  Predict,
  Predictor,
  Program,
  ReAct,
  Signature,
  signature,
  Submodule,
  Tool,
} from '@sigil/core';

@Signature('Answer the question.')
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

class Retrieve extends Program {
  @Predictor() rewrite = new Predict(signature('question -> query'));
  @Param({ choices: [1, 3, 5] }) k = 3;
  async forward(x: { question: string }) {
    return this.rewrite.forward(x);
  }
}

class Pipeline extends Program {
  @Submodule() retrieve = new Retrieve();
  @Submodule() hops = [new ChainOfThought(QA), new ChainOfThought(QA)];
  @Predictor() agent = new ReAct(signature('question -> answer'), {
    tools: [new Tool(() => 'x', { name: 'noop' })],
  });
  @Predictor() respond = new Predict(QA);
  @Param({ choices: ['short', 'long'] }) style = 'short';
  async forward(x: { question: string }) {
    return this.respond.forward(x);
  }
}

describe('Program reflection', () => {
  it('finds nested programs, arrays of modules and built-ins with DSPy’s dotted paths', () => {
    expect(new Pipeline().namedPredictors().map(([path]) => path)).toEqual([
      'retrieve.rewrite',
      'hops[0].predict',
      'hops[1].predict',
      'agent.react',
      'agent.extract.predict',
      'respond',
    ]);
  });

  it('lists instructions and demos of every predictor, then every @Param (a program before its children)', () => {
    const params = new Pipeline().parameters();
    expect(params.filter((p) => p.kind === 'instructions')).toHaveLength(6);
    expect(
      params.filter((p) => p.kind === 'param').map((p) => [p.path, p.kind === 'param' && p.choices]),
    ).toEqual([
      ['style', ['short', 'long']],
      ['retrieve.k', [1, 3, 5]],
    ]);
  });

  it('leaves an undeclared child module out of the learnable state and warns once, naming it', () => {
    class Sloppy extends Program {
      helper = new Predict(QA);
      async forward(x: { question: string }) {
        return this.helper.forward(x);
      }
    }
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const program = new Sloppy();
      expect(program.namedPredictors()).toEqual([]);
      expect(program.parameters()).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Sloppy\.helper holds a module but is not declared, so optimizers, save\(\) and load\(\) leave it alone/,
        ),
        { code: 'SIGIL_UNDECLARED_MODULE' },
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('names a lone Predict "self"', () => {
    expect(new Predict(QA).namedPredictors().map(([p]) => p)).toEqual(['self']);
  });
});

describe('clone and reset', () => {
  it('clones deeply: learnable state and params of the copy are independent', () => {
    const program = new Pipeline();
    program.respond.demos = [{ question: 'q', answer: 'a' }];
    const copy = program.clone();
    expect(copy).toBeInstanceOf(Pipeline);
    expect(copy.respond).not.toBe(program.respond);
    expect(copy.hops[0]).not.toBe(program.hops[0]);
    copy.respond.demos.push({ question: 'q2', answer: 'a2' });
    copy.hops[1].predict.instructions = 'Be brief.';
    copy.retrieve.k = 5;
    copy.agent.react.demos = [{ question: 'x' }];
    expect(program.respond.demos).toHaveLength(1);
    expect(program.hops[1].predict.instructions).toBe('Answer the question.');
    expect(program.retrieve.k).toBe(3);
    expect(program.agent.react.demos).toEqual([]);
    expect(copy.agent.tools).toBe(program.agent.tools);
    expect(copy.namedPredictors().map(([p]) => p)).toEqual(program.namedPredictors().map(([p]) => p));
  });

  it('reset() restores instructions, demos and @Params to their initial values', () => {
    const program = new Pipeline();
    program.parameters();
    program.respond.instructions = 'Changed.';
    program.respond.demos = [{ question: 'q', answer: 'a' }];
    program.retrieve.k = 1;
    program.style = 'long';
    program.reset();
    expect(program.respond.instructions).toBe('Answer the question.');
    expect(program.respond.demos).toEqual([]);
    expect(program.retrieve.k).toBe(3);
    expect(program.style).toBe('short');
  });

  it('reset() restores the constructed @Param values even when nothing reflected over the program first', async () => {
    const program = new Pipeline();
    await Promise.resolve();
    program.style = 'long';
    program.retrieve.k = 5;
    program.reset();
    expect(program.style).toBe('short');
    expect(program.retrieve.k).toBe(3);
  });

  it('treats a value set in the same synchronous step as construction as the initial one', () => {
    const program = new Pipeline();
    program.style = 'long';
    program.reset();
    expect(program.style).toBe('long');
  });

  it('gives a clone the initial @Param values of its original, whenever it is made', async () => {
    const program = new Pipeline();
    await Promise.resolve();
    program.retrieve.k = 5;
    const copy = program.clone();
    expect(copy.retrieve.k).toBe(5);
    copy.reset();
    expect(copy.retrieve.k).toBe(3);
    expect(program.retrieve.k).toBe(5);
  });

  it('reset() after loading a saved state brings back the values from before the load', async () => {
    const trained = new Pipeline();
    trained.retrieve.k = 5;
    trained.style = 'long';
    const state = trained.dumpState();
    const fresh = new Pipeline();
    await Promise.resolve();
    fresh.loadState(state);
    expect([fresh.retrieve.k, fresh.style]).toEqual([5, 'long']);
    fresh.reset();
    expect([fresh.retrieve.k, fresh.style]).toEqual([3, 'short']);
  });
});
