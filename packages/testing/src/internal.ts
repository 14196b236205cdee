/**
 * @sigil/testing/internal — what sibling Sigil packages and tests need from @sigil/testing that users do not.
 * Not part of the public API: names here may change in any release.
 */
export {};
