import { DESCRIPTION_CONSTRAINTS } from './constraints';
import { SignatureError } from './errors';
import { resolveType, type TypeInput } from './field-type';
import { type FieldIO, inferPrefix, SignatureSpec } from './signature-spec';

/** A signature written as data (the golden files' shape): `{ name, instructions, fields: [{ name, io, type }] }`. */
export interface SignatureDescription {
  name: string;
  /** `null`/absent: DSPy's default instructions. */
  instructions?: string | null;
  fields: readonly FieldDescription[];
}

/** One field of a `SignatureDescription`. */
export interface FieldDescription {
  name: string;
  io: FieldIO;
  type?: TypeInput;
  desc?: string;
  prefix?: string;
  /** The field's default (pydantic's `default=`). */
  default?: unknown;
  /** pydantic `Field` constraints in declaration order: `{ "ge": 1, "le": 5 }`, `min_length`, `pattern`, … */
  constraints?: Readonly<Record<string, unknown>>;
}

/**
 * Builds a signature from plain data, e.g. one read from a file.
 * @example signatureFromDescription({ name: 'QA', fields: [{ name: 'q', io: 'input' }, { name: 'a', io: 'output' }] })
 */
export function signatureFromDescription(description: SignatureDescription): SignatureSpec<any, any> {
  const name = description.name || 'Signature';
  if (!Array.isArray(description.fields)) {
    throw new SignatureError(`Signature "${name}": "fields" must be an array of { name, io, type }.`, {
      signature: name,
    });
  }
  const fields = description.fields.map((f) => {
    if (f.io !== 'input' && f.io !== 'output') {
      throw new SignatureError(
        `Signature "${name}": field "${f.name}" has io "${f.io}"; use "input" or "output".`,
        { signature: name, field: f.name },
      );
    }
    return Object.freeze({
      name: f.name,
      io: f.io,
      type: resolveType(f.type ?? 'string', {
        signature: name,
        field: f.name,
        describeClass: (cls: Function) => {
          throw new SignatureError(
            `Signature "${name}": field "${f.name}" names class ${cls.name}; describe it as data.`,
            { signature: name, field: f.name },
          );
        },
      }),
      desc: f.desc,
      prefix: f.prefix ?? inferPrefix(f.name),
      constraints: Object.freeze(constraintsOf(name, f)),
      ...('default' in f ? { defaultValue: Object.freeze({ value: f.default }) } : {}),
    });
  });
  return new SignatureSpec(name, fields, description.instructions ?? undefined);
}

function constraintsOf(signature: string, field: FieldDescription) {
  return Object.entries(field.constraints ?? {}).map(([kind, value]) => {
    if (!DESCRIPTION_CONSTRAINTS.has(kind)) {
      throw new SignatureError(
        `Signature "${signature}": field "${field.name}" has constraint "${kind}"; use one of ${[...DESCRIPTION_CONSTRAINTS].join(', ')}.`,
        { signature, field: field.name },
      );
    }
    return Object.freeze({ kind, args: Object.freeze([value]) });
  });
}
