import { signature, ChatAdapter } from '@sigil/core';
import { parseValue } from '@sigil/core/internal';
import { repairJson } from '../../src/adapter/parse-value';

const list = { kind: 'array', items: { kind: 'number' } } as const;

describe('repairing sloppy JSON in replies (as json_repair does for DSPy)', () => {
  it('closes brackets and strings a truncated reply left open', () => {
    expect(repairJson('[1, 2, 3')).toBe('[1, 2, 3]');
    expect(repairJson('{"a": "x')).toBe('{"a": "x"}');
    expect(repairJson('{"a": [1, {"b": 2')).toBe('{"a": [1, {"b": 2}]}');
  });

  it('drops trailing commas and text before the first bracket', () => {
    expect(repairJson('Here you go: [1, 2,]')).toBe('[1, 2]');
    expect(repairJson('no brackets at all')).toBeUndefined();
  });

  it('parses a truncated list into its typed values', () => {
    expect(parseValue('[0.1, 0.9', list)).toEqual([0.1, 0.9]);
  });

  it('still rejects text that holds no value of the type', () => {
    expect(() => parseValue('many', list)).toThrow(/expected a list/);
  });

  it('names optional types as Python does (Union[str, NoneType])', () => {
    const spec = signature('q -> a: Optional[str]');
    const user = new ChatAdapter().format(spec, [], { q: 'x' }).at(-1)!.content;
    expect(user).toContain('(must be formatted as a valid Python Union[str, NoneType])');
  });
});
