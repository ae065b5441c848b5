/**
 * The Service Mesh entity tab and overview card for Istio in ambient mode.
 *
 * @packageDocumentation
 */
export {
  istioPlugin,
  EntityIstioContent,
  EntityIstioMeshCard,
  IstioFleetPage,
  IstioNamespacePickerFieldExtension,
} from './plugin';
export { NamespacePicker } from './components/NamespacePicker';
export type { NamespacePickerUiOptions } from './components/NamespacePicker';
export { isIstioAvailable, ISTIO_ENTITY_ANNOTATIONS } from './isIstioAvailable';
export { istioApiRef, IstioClient } from './api';
export type { IstioApi, MetricsQueryOptions, TracesQueryOptions } from './api';
export type { IstioContentProps } from './components/IstioContent';
export {
  default,
  istioApi,
  istioEntityContent,
  istioEntityCard,
  istioFleetPage,
  istioNamespacePickerField,
} from './frontendPlugin';
