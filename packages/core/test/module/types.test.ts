import {
  BestOfN,
  ChainOfThought,
  Input,
  Output,
  Parallel,
  Predict,
  Predictor,
  Program,
  Refine,
  Signature,
  type InputsOf,
  type ModuleInputs,
  type ModuleOutputs,
  type OutputsOf,
} from '@sigil/core';
import { Ensemble } from '@sigil/optimize';
import { expectTypeOf } from 'expect-type';

/**
 * Type-level tests of call sites: `npm run typecheck` compiles this file, so each `@ts-expect-error` proves
 * that the mistake below it does not compile, and each `expectTypeOf` that a type is exactly what it says.
 */
@Signature('Answer the question from the context.')
class QA {
  @Input() readonly question!: string;
  @Input({ desc: 'optional background' }) readonly context?: string;
  @Output() answer!: string;
  @Output() confidence!: number;
}

class RAG extends Program {
  @Predictor() respond = new ChainOfThought(QA);
  async forward({ question }: { question: string }) {
    return this.respond.forward({ question, context: 'passages' });
  }
}

const qa = new Predict(QA);
const rag = new RAG();

describe('class signatures with readonly inputs', () => {
  it('type inputs and outputs apart', () => {
    expectTypeOf<InputsOf<typeof QA>>().toEqualTypeOf<{ question: string; context?: string }>();
    expectTypeOf<OutputsOf<typeof QA>>().toEqualTypeOf<{ answer: string; confidence: number }>();
  });

  it('reject a missing input, an output passed as an input and a misspelled field at the call site', async () => {
    const calls = async () => {
      // @ts-expect-error a missing required input does not compile
      await qa.forward({});
      // @ts-expect-error an output passed as an input does not compile
      await qa.forward({ question: 'q', answer: 'a' });
      // @ts-expect-error a misspelled input does not compile
      await qa.forward({ questoin: 'q' });
      // the optional input may be left out
      await qa.forward({ question: 'q' });
    };
    expect(typeof calls).toBe('function');
  });

  it('give a prediction the outputs, not the inputs', async () => {
    const read = async () => {
      const prediction = await qa.forward({ question: 'q' });
      expectTypeOf(prediction.answer).toEqualTypeOf<string>();
      expectTypeOf(prediction.confidence).toEqualTypeOf<number>();
      // @ts-expect-error reading an input from a prediction does not compile
      void prediction.question;
      const reasoned = await new ChainOfThought(QA).forward({ question: 'q' });
      expectTypeOf(reasoned.reasoning).toEqualTypeOf<string>();
      // @ts-expect-error ChainOfThought's prediction has no inputs either
      void reasoned.context;
    };
    expect(typeof read).toBe('function');
  });

  it('refuse @Input() on a mutable field and @Output() on a readonly one', () => {
    class Mixed {
      @Input() readonly question!: string;
      // @ts-expect-error once inputs are marked readonly, an input that is not is a compile error
      @Input() other!: string;
      // @ts-expect-error readonly marks inputs: an output must not be readonly
      @Output() readonly answer!: string;
    }
    expect(Mixed.name).toBe('Mixed');
  });

  it('keep classes without readonly fields compiling, loosely typed', () => {
    class Loose {
      @Input() question!: string;
      @Output() answer!: string;
    }
    expectTypeOf<InputsOf<typeof Loose>>().toEqualTypeOf<{ question?: string; answer?: string }>();
    expect(new Predict(Loose)).toBeInstanceOf(Predict);
  });
});

describe('compositions over a user program keep its types', () => {
  /** What RAG's forward resolves to: ChainOfThought(QA)'s prediction. */
  type RagOut = Awaited<ReturnType<ChainOfThought<typeof QA>['forward']>>;

  it('read a program’s inputs and outputs from its forward', () => {
    expectTypeOf<ModuleInputs<RAG>>().toEqualTypeOf<{ question: string }>();
    expectTypeOf<ModuleOutputs<RAG>>().toEqualTypeOf<RagOut>();
    expectTypeOf<ModuleOutputs<RAG>['answer']>().toEqualTypeOf<string>();
    expectTypeOf<ModuleOutputs<RAG>['reasoning']>().toEqualTypeOf<string>();
  });

  it('type Parallel, BestOfN, Refine and Ensemble from the program they wrap', async () => {
    const check = async () => {
      const parallel = await new Parallel(rag).forward([{ question: 'a' }]);
      expectTypeOf(parallel).toEqualTypeOf<(RagOut | null)[]>();
      // @ts-expect-error Parallel takes the program's inputs
      await new Parallel(rag).forward([{ query: 'a' }]);
      const best = await new BestOfN(rag, {
        n: 3,
        threshold: 1,
        rewardFn: (inputs, prediction) => (inputs.question.length > 0 && prediction.answer ? 1 : 0),
      }).forward({ question: 'q' });
      expectTypeOf(best).toEqualTypeOf<RagOut>();
      const refined = await new Refine(rag, { n: 2, threshold: 1, rewardFn: () => 1 }).forward({
        question: 'q',
      });
      expectTypeOf(refined.answer).toEqualTypeOf<string>();
      const ensemble = new Ensemble().compile([rag, new RAG()]);
      expectTypeOf(await ensemble.forward({ question: 'q' })).toEqualTypeOf<RagOut[]>();
      const voted = new Ensemble({ reduce: (outputs: RagOut[]) => outputs[0].answer }).compile([rag]);
      expectTypeOf(await voted.forward({ question: 'q' })).toEqualTypeOf<string>();
    };
    expect(typeof check).toBe('function');
  });
});
