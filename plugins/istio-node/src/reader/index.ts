export { MeshReader } from './MeshReader';
export type { MeshReaderOptions } from './MeshReader';
export type { MeshTarget } from './readSnapshot';
export { findWorkloadNamespaces } from './workloadNamespaces';
export type { FindWorkloadNamespacesOptions } from './workloadNamespaces';
