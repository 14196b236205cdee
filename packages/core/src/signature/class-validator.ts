/**
 * class-validator, loaded on first real need. The package (with libphonenumber-js) takes ~80 ms to load,
 * most of `@sigil/core`'s import time, yet only classes that declare a constraint need it. Every
 * class-validator decorator registers itself in one process-wide store, `globalThis.classValidatorMetadataStorage`,
 * created by the first decorator (by whichever copy of the package): while that store does not exist, no
 * class declares a constraint and the module is never loaded.
 */
import type * as ClassValidatorModule from 'class-validator';

type ClassValidator = typeof ClassValidatorModule;
type MetadataStorage = ReturnType<ClassValidator['getMetadataStorage']>;
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

let loaded: ClassValidator | undefined;

/** The class-validator module, required once. */
export function classValidator(): ClassValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('class-validator') as ClassValidator;
  return loaded;
}

/** Whether any class-validator decorator has run in this process (without loading the package). */
function anyValidatorDeclared(): boolean {
  return (
    (globalThis as { classValidatorMetadataStorage?: unknown }).classValidatorMetadataStorage !== undefined
  );
}

/** The class-validator metadata of `target` (parent classes included); empty when none was ever declared. */
export function validationMetadataOf(target: Function): ValidationMetadata[] {
  if (!anyValidatorDeclared()) return [];
  return classValidator().getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
}
