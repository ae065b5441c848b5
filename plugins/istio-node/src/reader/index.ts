export { MeshReader } from './MeshReader';
export type { MeshReaderOptions } from './MeshReader';
export type { MeshTarget } from './readSnapshot';
