/**
 * @sigil/tools/internal — what sibling Sigil packages and tests need from @sigil/tools that users do not.
 * Not part of the public API: names here may change in any release.
 */
export { requirePeer } from './optional-peer';
export { toolName } from './schema/tool-args';
