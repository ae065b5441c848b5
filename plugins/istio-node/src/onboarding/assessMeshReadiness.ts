import {
  MeshCheck,
  MeshCheckReport,
  OTEL_TRACING_PROVIDER,
} from '@ambient-mesh/plugin-istio-common';
import { MeshFacts } from './meshFacts';

/**
 * Turns the facts read from a cluster into pass/fail checks, each failure
 * with its fix. Pure.
 */
export function assessMeshReadiness(
  cluster: string,
  facts: MeshFacts,
): MeshCheckReport {
  const checks: MeshCheck[] = [
    gatewayApiCheck(facts),
    istiodCheck(facts),
    daemonSetCheck(facts, 'ztunnel', 'ztunnel'),
    daemonSetCheck(facts, 'istio-cni-node', 'istio-cni'),
    {
      id: 'waypoint-gatewayclass',
      title: 'GatewayClass istio-waypoint',
      ...(facts.waypointGatewayClass
        ? { status: 'pass', detail: 'GatewayClass istio-waypoint exists' }
        : {
            status: 'fail',
            detail:
              'GatewayClass istio-waypoint is missing (istiod creates it only when ambient is on)',
            fix: 'Install Gateway API CRDs, then istiod with profile ambient (istio:mesh:provision)',
          }),
    } as MeshCheck,
    tracingCheck(facts),
    ciliumCheck(facts),
  ];
  return {
    cluster,
    ready: checks.every(check => check.status !== 'fail'),
    checks,
  };
}

function gatewayApiCheck(facts: MeshFacts): MeshCheck {
  const base = { id: 'gateway-api-crds', title: 'Gateway API CRDs' };
  if (!facts.gatewayApi) {
    return {
      ...base,
      status: 'fail',
      detail: 'CRD gateways.gateway.networking.k8s.io is missing',
      fix: 'Install the Gateway API standard CRDs (istio:mesh:provision with gatewayApiVersion, or kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/<version>/standard-install.yaml)',
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: `installed, bundle-version ${
      facts.gatewayApi.bundleVersion ?? 'unknown'
    }${
      facts.gatewayApi.channel ? ` (${facts.gatewayApi.channel} channel)` : ''
    }`,
  };
}

function istiodCheck(facts: MeshFacts): MeshCheck {
  const base = { id: 'istiod-ambient', title: 'istiod with ambient enabled' };
  if (facts.istiod.length === 0) {
    return {
      ...base,
      status: 'fail',
      detail: 'no Deployment labelled app=istiod',
      fix: 'Install istiod with profile ambient (istio:mesh:provision, or helm install istiod istio/istiod -n istio-system --set profile=ambient)',
    };
  }
  const ambient = facts.istiod.filter(d => d.ambientEnabled);
  if (ambient.length === 0) {
    return {
      ...base,
      status: 'fail',
      detail: `${facts.istiod
        .map(d => `${d.namespace}/${d.name}`)
        .join(', ')} without PILOT_ENABLE_AMBIENT=true`,
      fix: 'Reinstall or upgrade istiod with profile ambient (sets PILOT_ENABLE_AMBIENT=true)',
    };
  }
  const ready = ambient.filter(d => d.readyReplicas > 0);
  if (ready.length === 0) {
    return {
      ...base,
      status: 'fail',
      detail: `${ambient
        .map(d => `${d.namespace}/${d.name}`)
        .join(', ')} has no ready replica`,
      fix: 'Check the istiod pods (kubectl -n istio-system describe deploy istiod)',
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: `${ready
      .map(d => `${d.namespace}/${d.name}`)
      .join(', ')} with PILOT_ENABLE_AMBIENT=true, ready`,
  };
}

function daemonSetCheck(
  facts: MeshFacts,
  name: string,
  component: string,
): MeshCheck {
  const base = {
    id: `${component}-ready`,
    title: `${component} DaemonSet ready`,
  };
  const ds = facts.daemonSets[name];
  if (!ds) {
    return {
      ...base,
      status: 'fail',
      detail: `DaemonSet ${name} not found`,
      fix: `Install ${component} with profile ambient (istio:mesh:provision, or the Helm chart ${
        component === 'istio-cni' ? 'cni' : 'ztunnel'
      })`,
    };
  }
  if (ds.desired === 0 || ds.ready < ds.desired) {
    return {
      ...base,
      status: 'fail',
      detail: `${ds.namespace}/${name}: ${ds.ready} of ${ds.desired} pods ready`,
      fix: `Check the ${name} pods (kubectl -n ${ds.namespace} get pods -l k8s-app=${name} and their events)`,
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: `${ds.namespace}/${name}: ${ds.ready} of ${ds.desired} pods ready`,
  };
}

function tracingCheck(facts: MeshFacts): MeshCheck {
  const base = {
    id: 'tracing-provider',
    title: `Tracing provider ${OTEL_TRACING_PROVIDER}`,
  };
  const provider = facts.meshConfig?.extensionProviders?.find(
    p => p.name === OTEL_TRACING_PROVIDER,
  );
  const fix = `Add to meshConfig extensionProviders [{name: ${OTEL_TRACING_PROVIDER}, opentelemetry: {service: otel-collector.observability.svc.cluster.local, port: 4317}}] and enableTracing: true (istio:mesh:provision does both)`;
  if (!facts.meshConfig) {
    return {
      ...base,
      status: 'fail',
      detail: 'ConfigMap istio (key mesh) not found',
      fix,
    };
  }
  if (!provider?.opentelemetry?.service) {
    return {
      ...base,
      status: 'fail',
      detail: `meshConfig has no opentelemetry extension provider named ${OTEL_TRACING_PROVIDER}`,
      fix,
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: `${OTEL_TRACING_PROVIDER} -> ${provider.opentelemetry.service}:${
      provider.opentelemetry.port ?? '?'
    }${facts.meshConfig.enableTracing ? ', enableTracing true' : ''}`,
  };
}

function ciliumCheck(facts: MeshFacts): MeshCheck {
  const base = {
    id: 'cilium-cni-exclusive',
    title: 'Cilium chained with istio-cni',
  };
  if (!facts.daemonSets.cilium) {
    return { ...base, status: 'skip', detail: 'Cilium is not installed' };
  }
  const exclusive = facts.ciliumConfig?.['cni-exclusive'];
  if (exclusive !== 'false') {
    return {
      ...base,
      status: 'fail',
      detail: `cilium-config cni-exclusive is ${
        exclusive ?? 'unset (default true)'
      }: Cilium removes istio-cni's configuration`,
      fix: 'Set cni.exclusive=false in Cilium (helm upgrade cilium cilium/cilium --reuse-values --set cni.exclusive=false)',
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: 'cilium-config cni-exclusive is false',
  };
}
