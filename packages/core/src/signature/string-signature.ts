import type { History } from '../custom-types/history';
import type { Image } from '../custom-types/image';
import type { FunctionToolLike, ToolCalls } from '../custom-types/tool-calls';
import { SignatureError } from './errors';
import { type FieldType, resolveType } from './field-type';
import { type FieldSpec, inferPrefix, SignatureSpec } from './signature-spec';

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type SplitList<S extends string> = S extends `${infer H},${infer T}`
  ? H extends `${string}[${string}` // a comma inside brackets (dict[str, int]) does not split
    ? H extends `${string}]${string}`
      ? [Trim<H>, ...SplitList<T>]
      : SplitList<`${H};${T}`>
    : [Trim<H>, ...SplitList<T>]
  : S extends ''
    ? []
    : [Trim<S>];
type Unsemi<S extends string> = S extends `${infer A};${infer B}` ? `${A},${Unsemi<B>}` : S;
type TypeOfName<T extends string> = T extends 'string' | 'str'
  ? string
  : T extends 'number' | 'float' | 'int' | 'integer'
    ? number
    : T extends 'boolean' | 'bool'
      ? boolean
      : T extends 'History'
        ? History
        : T extends 'Image'
          ? Image
          : T extends 'ToolCalls'
            ? ToolCalls
            : T extends 'Tool'
              ? FunctionToolLike
              : T extends `${infer I}[]`
                ? TypeOfName<Trim<I>>[]
                : T extends `list[${infer I}]`
                  ? TypeOfName<Trim<I>>[]
                  : T extends `dict[${string},${infer V}]`
                    ? Record<string, TypeOfName<Trim<V>>>
                    : unknown;
type FieldEntry<F extends string> = F extends `${infer N}:${infer T}`
  ? { [K in Trim<N>]: TypeOfName<Trim<Unsemi<T>>> }
  : { [K in Trim<F>]: string };
type UnionToIntersection<U> = (U extends any ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type Merge<T> = { [K in keyof T]: T[K] };
type FieldsOfList<L extends string[]> = L extends [] ? {} : Merge<UnionToIntersection<FieldEntry<L[number]>>>;

/** The input fields of a string signature, as a type: `ParsedInputs<'q: string, k: int -> a'>` = `{ q: string; k: number }`. */
export type ParsedInputs<S extends string> = S extends `${infer I}->${string}`
  ? FieldsOfList<SplitList<I>>
  : never;
/** The output fields of a string signature, as a type. */
export type ParsedOutputs<S extends string> = S extends `${string}->${infer O}`
  ? FieldsOfList<SplitList<O>>
  : never;

/**
 * Builds a signature from DSPy's string form; untyped fields are strings.
 * @example const QA = signature('context: string[], question -> answer', 'Answer from the context.');
 */
export function signature<const S extends string>(
  spec: S,
  instructions?: string,
  name = 'StringSignature',
): SignatureSpec<ParsedInputs<S>, ParsedOutputs<S>> {
  const arrow = spec.indexOf('->');
  if (arrow < 0 || spec.indexOf('->', arrow + 2) >= 0) {
    throw new SignatureError(
      `Signature "${spec}" must contain exactly one "->" between inputs and outputs, e.g. "question -> answer".`,
      { signature: name },
    );
  }
  const fields: FieldSpec[] = [
    ...parseSide(spec.slice(0, arrow), 'input', spec, name),
    ...parseSide(spec.slice(arrow + 2), 'output', spec, name),
  ];
  return new SignatureSpec(name, fields, instructions);
}

function parseSide(side: string, io: 'input' | 'output', whole: string, name: string): FieldSpec[] {
  const parts = splitTopLevel(side)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.map((part) => {
    const colon = part.indexOf(':');
    const fieldName = (colon < 0 ? part : part.slice(0, colon)).trim();
    const typeText = colon < 0 ? 'str' : part.slice(colon + 1).trim();
    if (!fieldName) {
      throw new SignatureError(`Signature "${whole}": a field has no name (near "${part}").`, {
        signature: name,
      });
    }
    return Object.freeze({
      name: fieldName,
      io,
      type: parseTypeText(typeText, whole, name, fieldName),
      desc: undefined,
      prefix: inferPrefix(fieldName),
      constraints: Object.freeze([]),
    });
  });
}

function splitTopLevel(text: string, separator = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === separator && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function parseTypeText(text: string, whole: string, name: string, field: string): FieldType {
  const t = text.trim();
  const ctx = {
    signature: name,
    field,
    describeClass: () => {
      throw new SignatureError(
        `Signature "${whole}": field "${field}" cannot name a class in the string form.`,
        { signature: name, field },
      );
    },
  };
  const union = splitTopLevel(t, '|').map((part) => part.trim());
  if (union.length === 2 && union.includes('None')) {
    const inner = union[0] === 'None' ? union[1] : union[0];
    return { kind: 'optional', inner: parseTypeText(inner, whole, name, field), spelling: 'T | None' };
  }
  if (t.endsWith('[]')) return { kind: 'array', items: parseTypeText(t.slice(0, -2), whole, name, field) };
  const generic = /^(list|List|dict|Dict|Literal|Optional|Union)\[(.*)\]$/.exec(t);
  if (generic) {
    const [, head, body] = generic;
    const args = splitTopLevel(body).map((a) => a.trim());
    if (head.toLowerCase() === 'list')
      return { kind: 'array', items: parseTypeText(args[0], whole, name, field) };
    if (head.toLowerCase() === 'dict')
      return { kind: 'dict', values: parseTypeText(args[1] ?? 'str', whole, name, field) };
    if (head === 'Optional') return { kind: 'optional', inner: parseTypeText(args[0], whole, name, field) };
    if (head === 'Union' && args.length === 2 && args.includes('None')) {
      const inner = args[0] === 'None' ? args[1] : args[0];
      return { kind: 'optional', inner: parseTypeText(inner, whole, name, field) };
    }
    if (head === 'Union') {
      throw new SignatureError(
        `Signature "${whole}": field "${field}" has type "${t}"; only Union[X, None] (Optional[X]) is supported.`,
        { signature: name, field },
      );
    }
    return { kind: 'literal', values: args.map(parseLiteral) };
  }
  try {
    return resolveType(t, ctx);
  } catch {
    throw new SignatureError(
      `Signature "${whole}": field "${field}" has unknown type "${t}" — use string, number, int, boolean, X[], list[X], dict[str, X] or Literal[...].`,
      { signature: name, field },
    );
  }
}

function parseLiteral(text: string): string | number | boolean {
  if (/^(['"]).*\1$/.test(text)) return text.slice(1, -1);
  if (text === 'True' || text === 'true') return true;
  if (text === 'False' || text === 'false') return false;
  const n = Number(text);
  return Number.isFinite(n) && text !== '' ? n : text;
}
