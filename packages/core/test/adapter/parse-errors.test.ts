import { AdapterParseError, ChatAdapter, JSONAdapter, signature, type Adapter } from '@sigil/core';

const typed = signature("question -> label: Literal['yes', 'no'], ok: bool, n: int, x: float, xs: list[int]");
const chat = new ChatAdapter();
const json = new JSONAdapter();

function parseError(parse: () => unknown): AdapterParseError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(AdapterParseError);
    return error as AdapterParseError;
  }
  throw new Error('expected an AdapterParseError');
}

describe('ChatAdapter parse failures', () => {
  it('reports a reply without markers, naming every output as missing', () => {
    const error = parseError(() => chat.parse(typed, 'The answer is yes.'));
    expect(error.message).toBe(
      'ChatAdapter could not parse the reply for signature "StringSignature": missing output field(s) ' +
        '"label", "ok", "n", "x", "xs". Expected each output after its [[ ## name ## ]] marker. Reply was:\nThe answer is yes.',
    );
    expect(error).toMatchObject({
      signatureName: 'StringSignature',
      adapter: 'ChatAdapter',
      completion: 'The answer is yes.',
      found: [],
      missing: ['label', 'ok', 'n', 'x', 'xs'],
      problems: [],
    });
  });

  it('reports the fields found and the ones missing', () => {
    const completion =
      '[[ ## label ## ]]\nyes\n\n[[ ## ok ## ]]\nTrue\n\n[[ ## n ## ]]\n2\n\n[[ ## completed ## ]]';
    const error = parseError(() => chat.parse(typed, completion));
    expect(error.message).toContain(': missing output field(s) "x", "xs". Expected each output');
    expect(error.found).toEqual(['label', 'ok', 'n']);
    expect(error.missing).toEqual(['x', 'xs']);
  });

  it('reports each value that does not fit its type', () => {
    const completion =
      '[[ ## label ## ]]\nmaybe\n\n[[ ## ok ## ]]\nperhaps\n\n[[ ## n ## ]]\n3.5\n\n[[ ## x ## ]]\nabout ten\n\n' +
      '[[ ## xs ## ]]\none, two\n\n[[ ## completed ## ]]';
    const error = parseError(() => chat.parse(typed, completion));
    expect(error.problems).toEqual([
      "label: 'maybe' is not one of ('yes', 'no')",
      'ok: expected True or False, got "perhaps"',
      'n: expected an integer, got 3.5',
      'x: expected a number, got "about ten"',
      'xs: expected a list, got "one, two"',
    ]);
    expect(error.message).toBe(
      'ChatAdapter could not parse the reply for signature "StringSignature": invalid value(s): ' +
        `${error.problems.join('; ')}. Expected each output after its [[ ## name ## ]] marker. Reply was:\n${completion}`,
    );
    expect(error.found).toEqual([]);
    expect(error.missing).toEqual([]);
  });

  it('shortens a long reply in the message but keeps it whole on the error', () => {
    const completion = `${'a'.repeat(300)}\n${'b'.repeat(300)}`;
    const error = parseError(() => chat.parse(typed, completion));
    expect(error.completion).toBe(completion);
    expect(error.message).toContain('… (221 characters) …');
  });
});

describe('JSONAdapter parse failures', () => {
  const spec = signature('question -> answer, count: int');

  it('reports a reply with no JSON object', () => {
    const error = parseError(() => json.parse(spec, 'I do not know.'));
    expect(error.message).toBe(
      'JSONAdapter could not find a JSON object in the reply for signature "StringSignature". ' +
        'Expected an object with keys "answer", "count". Reply was:\nI do not know.',
    );
    expect(error).toMatchObject({ adapter: 'JSONAdapter', found: [], missing: ['answer', 'count'] });
  });

  it('reports a JSON array as no object', () => {
    expect(parseError(() => json.parse(spec, '["Paris", 1]')).message).toContain(
      'could not find a JSON object',
    );
  });

  it('reports a missing key', () => {
    const error = parseError(() => json.parse(spec, '{"answer": "Paris"}'));
    expect(error.message).toBe(
      'JSONAdapter could not parse the reply for signature "StringSignature": missing key(s) "count". ' +
        'Reply was:\n{"answer": "Paris"}',
    );
    expect(error).toMatchObject({ found: ['answer'], missing: ['count'], problems: [] });
  });

  it('reports an invalid value', () => {
    const error = parseError(() => json.parse(spec, '{"answer": "Paris", "count": "many"}'));
    expect(error.message).toBe(
      'JSONAdapter could not parse the reply for signature "StringSignature": invalid value(s): ' +
        'count: expected an integer, got "many". Reply was:\n{"answer": "Paris", "count": "many"}',
    );
    expect(error).toMatchObject({
      found: ['answer'],
      missing: [],
      problems: ['count: expected an integer, got "many"'],
    });
  });
});

describe('fallback', () => {
  it('ChatAdapter falls back to JSONAdapter once, and can be told not to', () => {
    expect(new ChatAdapter().fallback).toBeInstanceOf(JSONAdapter);
    expect((new JSONAdapter() as Adapter).fallback).toBeUndefined();
    expect(new ChatAdapter({ fallback: null }).fallback).toBeUndefined();
  });
});
