import { ChatAdapter, signature } from '@sigil/core';
import { parseValue } from '@sigil/core/internal';
import { readJson } from '../../src/adapter/json-reader';

const list = { kind: 'array', items: { kind: 'number' } } as const;

describe('reading sloppy JSON in replies (as json_repair does for DSPy)', () => {
  it('closes brackets and strings a truncated reply left open', () => {
    expect(readJson('[1, 2, 3')).toEqual([1, 2, 3]);
    expect(readJson('{"a": "x')).toEqual({ a: 'x' });
    expect(readJson('{"a": [1, {"b": 2')).toEqual({ a: [1, { b: 2 }] });
  });

  it('drops trailing commas and text around the value, and finds nothing in plain prose', () => {
    expect(readJson('Here you go: [1, 2,]')).toEqual([1, 2]);
    expect(readJson('no brackets at all')).toBe('');
  });

  it('keeps a float literal as a float and a long integer exactly when asked', () => {
    const value = readJson('{"a": 3.0, "b": 12345678901234567890}', { keepFloats: true }) as Record<
      string,
      any
    >;
    expect(value.a.constructor.name).toBe('FloatValue');
    expect(value.b).toBe(12345678901234567890n);
  });

  it('keeps a member named __proto__ as a plain member', () => {
    const value = readJson('{"__proto__": {"x": 1}, "y": 2') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'y']);
  });

  it('parses a truncated list into its typed values', () => {
    expect(parseValue('[0.1, 0.9', list)).toEqual([0.1, 0.9]);
  });

  it('still rejects text that holds no value of the type', () => {
    expect(() => parseValue('many', list)).toThrow(/expected a list/);
  });

  it('names optional types as Python does (Union[str, NoneType], UnionType[int, NoneType])', () => {
    const spec = signature('q -> a: Optional[str], b: int | None');
    const user = new ChatAdapter().format(spec, [], { q: 'x' }).at(-1)!.content;
    expect(user).toContain('(must be formatted as a valid Python Union[str, NoneType])');
    expect(user).toContain('(must be formatted as a valid Python UnionType[int, NoneType])');
  });
});
