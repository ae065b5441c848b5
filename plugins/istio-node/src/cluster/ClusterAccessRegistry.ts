import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import type {
  ClusterClientFactoryFactory,
  IstioClusterAccessExtensionPoint,
} from '../extensions';
import { ConfigClusterClientFactory } from './ConfigClusterClientFactory';
import type { ClusterClientFactory } from './types';

/**
 * Collects what modules give through a cluster access extension point, then builds the
 * plugin's ClusterClientFactory: the one a module set, or the config one with the
 * Kubernetes plugin's strategies and those added.
 *
 * @public
 */
export class ClusterAccessRegistry {
  private readonly strategies: Record<string, AuthenticationStrategy> = {};
  private factory?: ClusterClientFactory | ClusterClientFactoryFactory;

  /** The implementation to register for the extension point. */
  readonly extensionPoint: IstioClusterAccessExtensionPoint = {
    addAuthStrategy: (key, strategy) => {
      if (this.strategies[key]) {
        throw new Error(
          `An auth strategy for authProvider '${key}' was already added`,
        );
      }
      this.strategies[key] = strategy;
    },
    setClusterClientFactory: factory => {
      if (this.factory) {
        throw new Error('A ClusterClientFactory was already set');
      }
      this.factory = factory;
    },
  };

  build(options: {
    config: Config;
    logger: LoggerService;
  }): ClusterClientFactory {
    const getDefault = () =>
      ConfigClusterClientFactory.fromConfig(options.config, {
        logger: options.logger,
        authStrategies: this.strategies,
      });
    if (!this.factory) return getDefault();
    return typeof this.factory === 'function'
      ? this.factory({ getDefault })
      : this.factory;
  }
}
