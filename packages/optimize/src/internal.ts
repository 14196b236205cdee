/**
 * @sigil/optimize/internal — what sibling Sigil packages and tests need from @sigil/optimize that users do not.
 * Not part of the public API: names here may change in any release.
 */
export {};
