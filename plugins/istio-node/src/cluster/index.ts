export * from './types';
export * from './clusterConfig';
export { ConfigClusterClientFactory } from './ConfigClusterClientFactory';
