import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { AuthenticationError } from '@backstage/errors';
import {
  AksStrategy,
  AnonymousStrategy,
  AwsIamStrategy,
  AzureIdentityStrategy,
  GoogleServiceAccountStrategy,
  GoogleStrategy,
  OidcStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import type {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import type { KubeConfig, User } from '@kubernetes/client-node';

/** What KubeConfig.addAuthenticator takes (not exported by the package's root). */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];
type AuthOptions = Parameters<Authenticator['applyAuthentication']>[1];

/**
 * The Kubernetes plugin's providers that authenticate with the signed-in user's own
 * token, which its frontend sends in the body of each request
 * (plugins/kubernetes-react/src/kubernetes-auth-provider, backstage v1.57.0).
 *
 * @public
 */
export const USER_TOKEN_AUTH_PROVIDERS: readonly string[] = [
  'aks',
  'google',
  'oidc',
];

/**
 * The serviceAccount strategy answers a configured `serviceAccountToken` before it
 * loads @kubernetes/client-node (a dynamic import) for the in-cluster token; the
 * configured token is answered here and only the in-cluster case goes to it.
 */
class ConfiguredTokenFirst implements AuthenticationStrategy {
  constructor(private readonly strategy: AuthenticationStrategy) {}

  async getCredential(
    cluster: ClusterDetails,
    auth: Parameters<AuthenticationStrategy['getCredential']>[1],
  ): Promise<KubernetesCredential> {
    const token = cluster.authMetadata.serviceAccountToken;
    if (token) return { type: 'bearer token', token };
    return this.strategy.getCredential(cluster, auth);
  }

  validateCluster(metadata: Record<string, string>): Error[] {
    return this.strategy.validateCluster(metadata);
  }

  presentAuthMetadata(metadata: Record<string, string>) {
    return this.strategy.presentAuthMetadata(metadata);
  }
}

/**
 * The Kubernetes plugin's own authentication strategies, under the same `authProvider`
 * keys as its default strategy map (plugins/kubernetes-backend/src/auth/
 * buildDefaultAuthStrategyMap.ts, backstage v1.57.0): the classes exported by
 * `@backstage/plugin-kubernetes-backend`.
 *
 * @public
 */
export function defaultAuthStrategies(options: {
  config: Config;
  logger: LoggerService;
}): Record<string, AuthenticationStrategy> {
  const { config, logger } = options;
  return {
    aks: new AksStrategy(),
    aws: new AwsIamStrategy({ config }),
    azure: new AzureIdentityStrategy(logger),
    google: new GoogleStrategy(),
    googleServiceAccount: new GoogleServiceAccountStrategy({ config }),
    localKubectlProxy: new AnonymousStrategy(),
    oidc: new OidcStrategy(),
    serviceAccount: new ConfiguredTokenFirst(new ServiceAccountStrategy()),
  };
}

/** The `authProvider` name of users whose credentials come from a strategy. */
const STRATEGY_AUTH_PROVIDER = 'backstage-kubernetes-auth-strategy';

/** A kubeconfig user whose credentials come from an AuthenticationStrategy. */
export function strategyUser(name: string): User {
  return {
    name,
    authProvider: { name: STRATEGY_AUTH_PROVIDER, config: {} },
  };
}

/**
 * Lets @kubernetes/client-node authenticate each request with an AuthenticationStrategy
 * of the Kubernetes plugin: a bearer token, an x509 client certificate, or nothing.
 * The strategy is asked on every request, so it can refresh expiring tokens (AWS, Azure,
 * Google service accounts cache and refresh their own).
 */
export class StrategyAuthenticator implements Authenticator {
  constructor(
    private readonly strategy: AuthenticationStrategy,
    private readonly cluster: ClusterDetails,
    private readonly authProvider: string,
  ) {}

  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === STRATEGY_AUTH_PROVIDER;
  }

  async applyAuthentication(_user: User, opts: AuthOptions): Promise<void> {
    let credential: KubernetesCredential;
    try {
      // Server-side reads have no signed-in user's provider tokens to offer
      credential = await this.strategy.getCredential(this.cluster, {});
    } catch (error) {
      throw new AuthenticationError(
        USER_TOKEN_AUTH_PROVIDERS.includes(this.authProvider)
          ? `Cluster "${this.cluster.name}" uses authProvider "${
              this.authProvider
            }", which authenticates with the signed-in user's own token; the Istio plugins read and change clusters with the backend's credentials, so give this cluster a server-side authProvider (serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy) for them (${
              (error as Error).message
            })`
          : `Cluster "${this.cluster.name}": authProvider "${
              this.authProvider
            }" gave no credentials: ${(error as Error).message}`,
        error as Error,
      );
    }
    const target = opts as {
      headers?: Record<string, unknown>;
      cert?: string;
      key?: string;
    };
    if (credential.type === 'bearer token') {
      target.headers = {
        ...target.headers,
        Authorization: `Bearer ${credential.token}`,
      };
    } else if (credential.type === 'x509 client certificate') {
      target.cert = credential.cert;
      target.key = credential.key;
    }
  }
}
