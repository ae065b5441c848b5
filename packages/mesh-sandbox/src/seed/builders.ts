import { KubeObject } from '../kube/types';

/** A namespace with labels. */
export function namespace(
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** A ConfigMap. */
export function configMap(
  ns: string,
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, labels },
    data,
  };
}

function container(
  name: string,
  image: string,
  port: number,
  env?: Array<{ name: string; value: string }>,
) {
  return {
    name,
    image,
    ports: [{ containerPort: port, name: 'http', protocol: 'TCP' }],
    ...(env ? { env } : {}),
  };
}

/** Options of a workload built by {@link deployment} or {@link daemonSet}. */
export interface WorkloadOptions {
  image: string;
  port: number;
  replicas?: number;
  labels?: Record<string, string>;
  podLabels?: Record<string, string>;
  env?: Array<{ name: string; value: string }>;
  serviceAccountName?: string;
  hostNetwork?: boolean;
}

/** A Deployment whose pods carry `app=<name>` plus the given labels. */
export function deployment(
  ns: string,
  name: string,
  options: WorkloadOptions,
): KubeObject {
  const podLabels = { app: name, ...options.podLabels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name, ...options.labels } },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: options.serviceAccountName ?? name,
          containers: [
            container(name, options.image, options.port, options.env),
          ],
        },
      },
    },
  };
}

/** A DaemonSet (one pod on the sandbox's single node). */
export function daemonSet(
  ns: string,
  name: string,
  options: WorkloadOptions,
): KubeObject {
  const object = deployment(ns, name, options);
  const spec = object.spec as Record<string, any>;
  delete spec.replicas;
  if (options.hostNetwork) spec.template.spec.hostNetwork = true;
  return { ...object, kind: 'DaemonSet' };
}

/** A ClusterIP Service selecting `app=<name>`. */
export function service(
  ns: string,
  name: string,
  port: number,
  options: {
    labels?: Record<string, string>;
    type?: string;
    portName?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name, ...options.labels } },
    spec: {
      type: options.type ?? 'ClusterIP',
      selector: { app: name },
      ports: [
        {
          name: options.portName ?? 'http',
          port,
          targetPort: port,
          protocol: 'TCP',
        },
      ],
    },
  };
}

/** A ServiceAccount. */
export function serviceAccount(ns: string, name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ns },
  };
}
