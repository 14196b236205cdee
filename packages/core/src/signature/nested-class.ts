import 'reflect-metadata';
import { validationMetadataOf } from './class-validator';
import type { RecordedMember } from './decorators';
import { SignatureError } from './errors';
import { type ClassFieldType, type ClassMember, resolveType } from './field-type';
import { classChain, ownMetadata } from '../metadata/store';

const cache = new WeakMap<Function, ClassFieldType>();
const inProgress = new Set<Function>();

/**
 * Describes a class used as a field type. Its members are the properties decorated with `@Field()` or with
 * any class-validator decorator; parent classes' members come first.
 */
export function describeClass(cls: Function, signature: string, field: string): ClassFieldType {
  const hit = cache.get(cls);
  if (hit) return hit;
  if (inProgress.has(cls)) {
    throw new SignatureError(
      `Signature "${signature}": field "${field}" uses class ${cls.name}, which refers to itself; recursive types cannot be described.`,
      { signature, field },
    );
  }
  inProgress.add(cls);
  try {
    const members: ClassMember[] = [];
    const seen = new Set<string>();
    const validatorMetas = validationMetadataOf(cls);
    for (const c of classChain(cls)) {
      for (const m of ownMetadata<RecordedMember>('members', c))
        add(m.property, m.options.type ?? m.designType, !!m.options.optional, c);
    }
    for (const meta of validatorMetas) {
      if (seen.has(meta.propertyName)) continue;
      const designType = Reflect.getMetadata('design:type', cls.prototype, meta.propertyName);
      add(meta.propertyName, designType, false, cls);
    }
    for (let i = 0; i < members.length; i++) {
      const optional = validatorMetas.some(
        (m) => m.propertyName === members[i].name && m.type === 'conditionalValidation',
      );
      if (optional && !members[i].optional) members[i] = Object.freeze({ ...members[i], optional: true });
    }
    if (members.length === 0) {
      throw new SignatureError(
        `Signature "${signature}": field "${field}" uses class ${cls.name}, which has no described members — ` +
          `decorate its properties with @Field() (or class-validator decorators).`,
        { signature, field },
      );
    }
    const described: ClassFieldType = Object.freeze({
      kind: 'class',
      name: cls.name,
      fields: Object.freeze(members),
      target: cls,
    });
    cache.set(cls, described);
    return described;

    function add(property: string, type: unknown, optional: boolean, _owner: Function) {
      if (seen.has(property)) return;
      seen.add(property);
      const inner = `${field}.${property}`;
      members.push(
        Object.freeze({
          name: property,
          type: resolveType(type, {
            signature,
            field: inner,
            describeClass: (c: Function) => describeClass(c, signature, inner),
          }),
          optional,
        }),
      );
    }
  } finally {
    inProgress.delete(cls);
  }
}
