import 'reflect-metadata';
import { hasValidators, readConstraints } from './constraints';
import { classChain, inheritedMetadata, ownMetadata } from '../metadata/store';
import type { RecordedField } from './decorators';
import { SignatureError } from './errors';
import { resolveType } from './field-type';
import { describeClass } from './nested-class';
import { type FieldSpec, inferPrefix, SignatureSpec } from './signature-spec';
import type { ClassInputs, ClassOutputs } from './field-keys';

/** A class whose fields carry `@Input`/`@Output`. */
export type SignatureClass<S = any> = new (...args: any[]) => S;

/** Anything a module accepts as its signature: a decorated class or a `SignatureSpec`. */
export type SignatureLike = SignatureClass | SignatureSpec<any, any>;

/**
 * The inputs a call site passes for a signature: for a class whose inputs are `readonly`, exactly those
 * (required ones required, optional ones optional, outputs absent); for a string signature, its parsed
 * inputs.
 */
export type InputsOf<S> =
  S extends SignatureSpec<infer I, any> ? I : S extends SignatureClass<infer T> ? ClassInputs<T> : never;

/** The outputs a call returns for a signature (for a class: its fields that are not `readonly`). */
export type OutputsOf<S> =
  S extends SignatureSpec<any, infer O> ? O : S extends SignatureClass<infer T> ? ClassOutputs<T> : never;

/** The typed `SignatureSpec` of a signature class or spec. */
export type SpecOf<S> = SignatureSpec<InputsOf<S>, OutputsOf<S>>;

const cache = new WeakMap<Function, SignatureSpec<any, any>>();

/**
 * The one reader of signature metadata: returns the immutable, cached description of a decorated class
 * (parent fields first), or the spec itself. Definition errors surface here as `SignatureError`.
 * @example const spec = signatureOf(QA); spec.outputNames // ['answer']
 */
export function signatureOf<S extends SignatureLike>(signature: S): SpecOf<S> {
  if (signature instanceof SignatureSpec) return signature as SpecOf<S>;
  if (typeof signature !== 'function') {
    throw new SignatureError(
      `Expected a signature class or spec, got ${signature === null ? 'null' : typeof signature}.`,
      { signature: String(signature) },
    );
  }
  const hit = cache.get(signature);
  if (hit) return hit as SpecOf<S>;
  const spec = readClass(signature);
  cache.set(signature, spec);
  return spec as SpecOf<S>;
}

function readClass(cls: Function): SignatureSpec<any, any> {
  const name = cls.name || 'AnonymousSignature';
  const chain = classChain(cls);

  const recorded: RecordedField[] = [];
  const declaredAt = new Map<string, RecordedField>();
  for (const c of chain) {
    for (const field of ownMetadata<RecordedField>('fields', c)) {
      const earlier = declaredAt.get(field.property);
      if (earlier) {
        if (earlier.io !== field.io) {
          throw new SignatureError(
            `Signature "${name}": output field "${field.property}" is also declared as an input — rename one of them.`,
            { signature: name, field: field.property },
          );
        }
        // A subclass redeclaring a field overrides its options but keeps the parent's position.
        recorded[recorded.indexOf(earlier)] = field;
      } else {
        recorded.push(field);
      }
      declaredAt.set(field.property, field);
    }
  }
  if (recorded.length === 0) {
    throw new SignatureError(
      `Class "${name}" is not a signature: none of its fields carries @Input() or @Output().`,
      { signature: name },
    );
  }
  const validates = hasValidators(cls);
  const defaults = initializerDefaults(cls);
  const fields: FieldSpec[] = recorded.map((r) => {
    const type = resolveType(r.options.type ?? r.designType, {
      signature: name,
      field: r.property,
      describeClass: (c) => describeClass(c, name, r.property),
    });
    return Object.freeze({
      name: r.property,
      io: r.io,
      type,
      desc: r.options.desc,
      prefix: r.options.prefix ?? inferPrefix(r.property),
      constraints: Object.freeze(validates ? readConstraints(cls, r.property) : []),
      ...(defaults && defaults[r.property] !== undefined
        ? { defaultValue: Object.freeze({ value: defaults[r.property] }) }
        : {}),
    });
  });
  let instructions: string | undefined;
  for (const meta of inheritedMetadata<{ instructions?: string }>('signature', cls)) {
    if (meta.instructions !== undefined) instructions = meta.instructions;
  }
  return new SignatureSpec(name, fields, instructions, cls, validates);
}

/**
 * The values a signature class's property initializers give (`@Output() label = 'none'`), which are its
 * fields' defaults as in DSPy (`label: str = OutputField(default="none")`). Read from one instance; a class
 * whose constructor needs arguments or throws has none.
 */
function initializerDefaults(cls: Function): Record<string, unknown> | undefined {
  try {
    return Reflect.construct(cls, []) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
