import { Input, Output, signature, signatureOf } from '@sigil/core';
import type { InputsOf, OutputsOf } from '@sigil/core';
import type { ParsedInputs, ParsedOutputs, SpecOf } from '@sigil/core/internal';

/**
 * Type-level tests: `npm run typecheck` compiles this file, so each `@ts-expect-error` proves that the
 * misuse below it does not compile. The runtime assertions only keep Jest content.
 */
class QA {
  @Input() question!: string;
  @Output() answer!: string;
}

const typed = signature('context: string[], question -> answer: number, ok: bool');

describe('typed call sites', () => {
  it('accept the declared input and output names of a class signature', () => {
    const inputs: InputsOf<typeof QA> = { question: 'Why?' };
    const outputs: OutputsOf<typeof QA> = { question: 'Why?', answer: 'Because.' };
    // @ts-expect-error a misspelled input name does not compile
    const misspelled: InputsOf<typeof QA> = { questoin: 'x' };
    // @ts-expect-error a misspelled output name does not compile
    const wrongOutput: OutputsOf<typeof QA> = { question: 'q', answr: 'a' };
    // @ts-expect-error reading an output that does not exist does not compile
    void outputs.answr;
    // @ts-expect-error an input of the wrong type does not compile
    const wrongType: InputsOf<typeof QA> = { question: 42 };
    expect([inputs, misspelled, wrongOutput, wrongType]).toHaveLength(4);
  });

  it('type string signatures from their text', () => {
    const inputs: InputsOf<typeof typed> = { context: ['a'], question: 'q' };
    const outputs: OutputsOf<typeof typed> = { answer: 42, ok: true };
    const answer: number = outputs.answer;
    // @ts-expect-error `answer: number` is a number, not a string
    const asText: string = outputs.answer;
    // @ts-expect-error a misspelled output key does not compile
    const misspelled: OutputsOf<typeof typed> = { answr: 1, ok: true };
    // @ts-expect-error `context: string[]` takes a list
    const notAList: InputsOf<typeof typed> = { context: 'a', question: 'q' };
    expect([inputs, answer, asText, misspelled, notAList]).toHaveLength(5);
  });

  it('parse field lists into object types', () => {
    const inputs: ParsedInputs<'q: string, k: int, tags: list[str] -> a'> = { q: 'x', k: 1, tags: ['t'] };
    const outputs: ParsedOutputs<'q -> a, scores: dict[str, float]'> = { a: 'x', scores: { s: 1 } };
    // @ts-expect-error untyped fields are strings
    const notString: ParsedOutputs<'q -> a'> = { a: 1 };
    expect([inputs, outputs, notString]).toHaveLength(3);
  });

  it('carry the types through signatureOf and SpecOf', () => {
    const spec: SpecOf<typeof QA> = signatureOf(QA);
    const same: SpecOf<typeof typed> = signatureOf(typed);
    const derived = typed.prepend('reasoning', { io: 'output' });
    const withReasoning: OutputsOf<typeof derived> = { reasoning: 'r', answer: 1, ok: false };
    // @ts-expect-error the derived signature still requires the original outputs
    const missing: OutputsOf<typeof derived> = { reasoning: 'r' };
    expect([spec.name, same.name, derived.outputNames, withReasoning, missing]).toHaveLength(5);
  });
});
