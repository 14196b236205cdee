/**
 * @sigil/core/internal — what sibling Sigil packages (optimize, cli, nestjs, testing, distributed) and
 * tests need from @sigil/core that users do not. Not part of the public API: names here may change in any
 * release.
 */
export { TypedEmitter, type Listener } from './events/typed-emitter';
export { drainConcurrently, mapConcurrently } from './runtime/pool';
export { classChain, inheritedMetadata, ownMetadata, recordMetadata } from './metadata/store';
export type { MetadataKind } from './metadata/store';
