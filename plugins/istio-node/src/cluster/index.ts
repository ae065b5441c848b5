export * from './types';
export * from './clusterConfig';
export { ConfigClusterClientFactory } from './ConfigClusterClientFactory';
export type { ConfigClusterClientFactoryOptions } from './ConfigClusterClientFactory';
export {
  defaultAuthStrategies,
  USER_TOKEN_AUTH_PROVIDERS,
} from './kubernetesAuth';
export { ClusterAccessRegistry } from './ClusterAccessRegistry';
