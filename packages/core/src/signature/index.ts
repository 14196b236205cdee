export { Signature, Input, Output, Field } from './decorators';
export type { FieldDecoratorOptions, MemberDecoratorOptions } from './decorators';
export { SignatureError } from './errors';
export { oneOf, arrayOf, dictOf, enumOf } from './field-type';
export type {
  FieldType,
  TypeInput,
  LiteralValue,
  ClassFieldType,
  ClassMember,
  DefaultValue,
  EnumFieldType,
  EnumMember,
  OptionalFieldType,
} from './field-type';
export { SignatureSpec, RESERVED_FIELD_NAMES, defaultInstructions, inferPrefix } from './signature-spec';
export type { FieldSpec, FieldIO, FieldOptions } from './signature-spec';
export { signatureOf } from './reader';
export type { SignatureClass, SignatureLike, InputsOf, OutputsOf, SpecOf } from './reader';
export type { FieldsOf } from './field-keys';
export { signature } from './string-signature';
export type { ParsedInputs, ParsedOutputs } from './string-signature';
export type { Constraint } from './constraints';
export { signatureFromDescription } from './from-description';
export type { SignatureDescription, FieldDescription } from './from-description';
