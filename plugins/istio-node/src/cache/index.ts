export { MeshCache } from './MeshCache';
export type { MeshCacheOptions } from './MeshCache';
export { ClusterCache } from './ClusterCache';
export type { ClusterCacheOptions, ClusterCacheStats } from './ClusterCache';
export { CACHED_KINDS } from './kinds';
export type { CachedKind, KindList, SnapshotListField } from './kinds';
export type { InformerState } from './KindInformer';
