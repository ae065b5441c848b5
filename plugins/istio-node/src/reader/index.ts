export { MeshReader } from './MeshReader';
export type { MeshReaderOptions } from './MeshReader';
export type { MeshTarget } from './readSnapshot';
export { KubeApis } from './kubeApis';
export type { KubeCallDescription, KubeRequestOptions } from './kubeCall';
export type { TrafficKind, TrafficKindScope } from './readTrafficObjects';
export { findWorkloadNamespaces } from './workloadNamespaces';
export type { FindWorkloadNamespacesOptions } from './workloadNamespaces';
