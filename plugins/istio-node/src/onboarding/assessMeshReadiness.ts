import {
  MeshCheck,
  MeshCheckReport,
  OTEL_TRACING_PROVIDER,
} from '@ambient-mesh/plugin-istio-common';
import {
  deniedBySafeUpgrades,
  GATEWAY_API_SAFE_UPGRADES_POLICY,
  tlsRouteTrap,
  tlsRouteTrapFix,
} from '../assessment/gatewayApiCompat';
import { MeshFacts } from './meshFacts';

/**
 * Turns the facts read from a cluster into pass/fail checks, each failure
 * with its fix. Pure.
 *
 * @public
 */
export function assessMeshReadiness(
  cluster: string,
  facts: MeshFacts,
): MeshCheckReport {
  const checks: MeshCheck[] = [
    gatewayApiCheck(facts),
    istiodGatewayApiCheck(facts),
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

/**
 * istiod 1.24-1.27.8, 1.28.0-1.28.5, 1.29.0-1.29.1 never becomes ready with the
 * Gateway API v1.5+ CRDs (TLSRoute served only as v1): istio/istio#59387, #59443.
 */
function istiodGatewayApiCheck(facts: MeshFacts): MeshCheck {
  const base = {
    id: 'istiod-gateway-api-version',
    title: 'istiod version works with the Gateway API CRDs',
  };
  const bundle = facts.gatewayApi?.bundleVersion;
  if (!facts.gatewayApi || facts.istiod.length === 0) {
    return {
      ...base,
      status: 'skip',
      detail: 'needs both istiod and the Gateway API CRDs',
    };
  }
  const traps = facts.istiod
    .map(d => ({ d, trap: tlsRouteTrap(d.version, bundle) }))
    .filter(x => x.trap);
  if (traps.length > 0) {
    const { trap } = traps[0];
    return {
      ...base,
      status: 'fail',
      detail: `${traps
        .map(
          ({ d }) =>
            `${d.namespace}/${d.name} runs Istio ${d.version} (${d.readyReplicas} ready)`,
        )
        .join(
          ', ',
        )} with Gateway API ${bundle}: v1.5+ serves TLSRoute only as v1, this istiod watches v1alpha2 and never becomes ready (istio/istio#59387, #59443)`,
      fix: tlsRouteTrapFix(trap!, {
        safeUpgradesPolicy: facts.gatewayApi.safeUpgradesPolicy,
      }),
    };
  }
  const unknown = facts.istiod.filter(d => !d.version);
  if (unknown.length > 0 || !bundle) {
    return {
      ...base,
      status: 'skip',
      detail: !bundle
        ? 'the Gateway CRD has no gateway.networking.k8s.io/bundle-version annotation'
        : `cannot tell the Istio version of ${unknown
            .map(d => `${d.namespace}/${d.name}`)
            .join(', ')} (image by digest, no app.kubernetes.io/version label)`,
    };
  }
  const policy =
    facts.gatewayApi.safeUpgradesPolicy && !deniedBySafeUpgrades(bundle)
      ? ` (ValidatingAdmissionPolicy ${GATEWAY_API_SAFE_UPGRADES_POLICY} denies CRDs older than v1.5.0)`
      : '';
  return {
    ...base,
    status: 'pass',
    detail: `Istio ${facts.istiod
      .map(d => d.version)
      .join(', ')} with Gateway API ${bundle}${policy}`,
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
      fix: `Check the istiod pods (${ambient
        .map(d => `kubectl -n ${d.namespace} describe deployment ${d.name}`)
        .join('; ')})`,
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

const POD_SELECTORS: Record<string, string> = {
  ztunnel: 'app=ztunnel',
  'istio-cni-node': 'k8s-app=istio-cni-node',
};

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
      // Pod labels: ztunnel `app: ztunnel` (manifests/charts/ztunnel/templates/daemonset.yaml),
      // istio-cni `k8s-app: istio-cni-node` (manifests/charts/istio-cni/templates/daemonset.yaml).
      fix: `Check the ${name} pods (kubectl -n ${ds.namespace} get pods -l ${
        POD_SELECTORS[name] ?? `app=${name}`
      } and their events)`,
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
      detail: `ConfigMap ${
        facts.meshConfigSource ?? 'istio'
      } (key mesh) not found`,
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
