export { istioApiRef } from './IstioApi';
export type {
  IstioApi,
  MetricsQueryOptions,
  TracesQueryOptions,
} from './IstioApi';
export { IstioClient } from './IstioClient';
