/**
 * @sigil/nestjs/internal — what sibling Sigil packages and tests need from @sigil/nestjs that users do not.
 * Not part of the public API: names here may change in any release.
 */
export {};
