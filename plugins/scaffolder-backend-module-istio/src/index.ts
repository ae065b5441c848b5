/**
 * Scaffolder actions (istio:*) that check and provision the Istio ambient
 * mesh and onboard namespaces, waypoints and policies.
 *
 * @packageDocumentation
 */
export { scaffolderModuleIstio as default, createIstioActions } from './module';
export * from './actions';
export {
  istioAgentActionsModule,
  registerIstioWriteActions,
} from './agentActions';
