import { createBackend } from '@backstage/backend-defaults';
import { istioAgentActionsModule } from '@ambient-mesh/plugin-scaffolder-backend-module-istio';
import { permissionPolicyModule } from './modules/permissionPolicy';
import {
  localPublishScaffolderModule,
  localServicesCatalogModule,
} from './modules/localServices';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest in development, see app-config.production.yaml for real providers
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Events bus shared by the plugins
backend.add(import('@backstage/plugin-events-backend'));

// Catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Software Templates, with the istio:* actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@ambient-mesh/plugin-scaffolder-backend-module-istio'));
// GitOps mode: the templates open their pull request with publish:github:pull-request
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
// Development: services published to portal.localPublish.directory
backend.add(localServicesCatalogModule);
backend.add(localPublishScaffolderModule);

// The Service Mesh view of catalog entities
backend.add(import('@ambient-mesh/plugin-istio-backend'));

// Our actions for AI agents over MCP (backend.actions.pluginSources)
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.add(istioAgentActionsModule);

// Permissions, with the portal's own policy
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);

// Search (in-memory Lunr engine) over the catalog
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Kubernetes
backend.add(import('@backstage/plugin-kubernetes-backend'));

// User settings
backend.add(import('@backstage/plugin-user-settings-backend'));

backend.start();
