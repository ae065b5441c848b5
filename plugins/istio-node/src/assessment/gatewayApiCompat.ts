/**
 * Which istiod versions break on which Gateway API bundles.
 *
 * Gateway API v1.5 moved TLSRoute into the standard channel and serves it only
 * as `v1`; istiod releases that watch TLSRoute `v1alpha2` wait for that informer
 * forever and never become ready (istio/istio#59387, istio/istio#59443; fixed by
 * istio/istio PR #59309 "gateway api: move to TLSRoute v1" and PR #59444, released
 * in 1.28.6 and 1.29.2, see istio/istio.io PR #17317 release notes).
 */

/** A parsed `major.minor.patch`. */
export interface Semver {
  major: number;
  minor: number;
  patch: number;
}

/** An inclusive range of Istio patch releases. */
export interface IstioVersionRange {
  from: string;
  to: string;
}

/** The first Gateway API bundle that serves TLSRoute only as v1 (standard channel). */
export const GATEWAY_API_TLSROUTE_V1_ONLY = 'v1.5.0';

/** The newest Gateway API release without TLSRoute v1 only: the alternative fix. */
export const GATEWAY_API_LAST_COMPATIBLE_MINOR = 'v1.4';

/**
 * istiod releases that watch TLSRoute v1alpha2 and so never become ready with
 * Gateway API v1.5+ CRDs (istio/istio#59387, #59443, PR #59309).
 */
export const ISTIOD_TLSROUTE_V1ALPHA2_RANGES: readonly IstioVersionRange[] = [
  { from: '1.24.0', to: '1.27.8' },
  { from: '1.28.0', to: '1.28.5' },
  { from: '1.29.0', to: '1.29.1' },
];

/** The first fixed patch of each affected minor (1.30+ reads TLSRoute v1). */
export const ISTIOD_TLSROUTE_FIXED_PATCHES: Readonly<Record<string, string>> = {
  '1.24': '1.27.9',
  '1.25': '1.27.9',
  '1.26': '1.27.9',
  '1.27': '1.27.9',
  '1.28': '1.28.6',
  '1.29': '1.29.2',
};

/**
 * The Gateway API v1.5+ standard-install holds this ValidatingAdmissionPolicy (and a
 * binding of the same name): it denies CRDs with a bundle-version before v1.5.0
 * (kubernetes-sigs/gateway-api config/crd/standard/gateway.networking.k8s.io_vap_safeupgrades.yaml).
 */
export const GATEWAY_API_SAFE_UPGRADES_POLICY =
  'safe-upgrades.gateway.networking.k8s.io';

/** Parses `v1.28.0`, `1.28.0`, `1.28.0-distroless` (no pre-releases beyond the suffix). */
export function parseSemver(text: string | undefined): Semver | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:$|[-+_])/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
  };
}

/** Negative, zero or positive like a comparator. */
export function compareSemver(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function formatSemver(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/**
 * The Istio version of an istiod Deployment: the tag of its `discovery` container's
 * image (what runs), else the chart's `app.kubernetes.io/version` label (istio/istio
 * manifests/charts `istio.labels`). Undefined when neither is a version (e.g. a digest).
 */
export function istiodVersionOf(deployment: {
  metadata?: { labels?: Record<string, string> };
  spec?: {
    template?: {
      spec?: { containers?: Array<{ name?: string; image?: string }> };
    };
  };
}): string | undefined {
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  const ordered = [
    ...containers.filter(c => c.name === 'discovery'),
    ...containers.filter(c => c.name !== 'discovery'),
  ];
  for (const container of ordered) {
    const image = container.image ?? '';
    if (image.includes('@')) continue;
    const tag = image.slice(image.lastIndexOf(':') + 1);
    if (image.includes(':') && !tag.includes('/')) {
      const version = parseSemver(tag);
      if (version) return formatSemver(version);
    }
  }
  const label = parseSemver(
    deployment.metadata?.labels?.['app.kubernetes.io/version'],
  );
  return label ? formatSemver(label) : undefined;
}

/** The pairing istiod cannot start with. */
export interface TlsRouteTrap {
  istioVersion: string;
  gatewayApiVersion: string;
  /** The first fixed patch of istiod's minor, or the newest one. */
  fixedIstio: string;
}

/**
 * The trap of istio/istio#59387 / #59443 when istiod `istioVersion` meets Gateway API
 * `gatewayApiVersion` (bundle-version); undefined when they work together or when
 * either version is unknown.
 */
export function tlsRouteTrap(
  istioVersion: string | undefined,
  gatewayApiVersion: string | undefined,
): TlsRouteTrap | undefined {
  const istio = parseSemver(istioVersion);
  const gatewayApi = parseSemver(gatewayApiVersion);
  if (!istio || !gatewayApi) return undefined;
  if (compareSemver(gatewayApi, parseSemver(GATEWAY_API_TLSROUTE_V1_ONLY)!) < 0)
    return undefined;
  const affected = ISTIOD_TLSROUTE_V1ALPHA2_RANGES.some(
    range =>
      compareSemver(istio, parseSemver(range.from)!) >= 0 &&
      compareSemver(istio, parseSemver(range.to)!) <= 0,
  );
  if (!affected) return undefined;
  return {
    istioVersion: formatSemver(istio),
    gatewayApiVersion: `v${formatSemver(gatewayApi)}`,
    fixedIstio:
      ISTIOD_TLSROUTE_FIXED_PATCHES[`${istio.major}.${istio.minor}`] ??
      '1.29.2',
  };
}

/** True when `version` is older than v1.5.0 (what the safe-upgrades policy denies). */
export function deniedBySafeUpgrades(version: string | undefined): boolean {
  const v = parseSemver(version);
  return Boolean(
    v && compareSemver(v, parseSemver(GATEWAY_API_TLSROUTE_V1_ONLY)!) < 0,
  );
}

/** The fix of a {@link TlsRouteTrap}, naming the admission policy when it is installed. */
export function tlsRouteTrapFix(
  trap: TlsRouteTrap,
  options: { safeUpgradesPolicy?: boolean } = {},
): string {
  const downgrade = options.safeUpgradesPolicy
    ? `; installing Gateway API ${GATEWAY_API_LAST_COMPATIBLE_MINOR} over ${trap.gatewayApiVersion} is refused by the ValidatingAdmissionPolicy ${GATEWAY_API_SAFE_UPGRADES_POLICY} of the ${trap.gatewayApiVersion} standard-install ("Installing CRDs with version before v1.5.0 is prohibited"), so a downgrade first needs kubectl delete validatingadmissionpolicybinding,validatingadmissionpolicy ${GATEWAY_API_SAFE_UPGRADES_POLICY}`
    : '';
  return `Upgrade Istio to ${trap.fixedIstio} or later (the first patch that reads TLSRoute v1; istio/istio#59443), or install the Gateway API ${GATEWAY_API_LAST_COMPATIBLE_MINOR} standard CRDs instead of ${trap.gatewayApiVersion} (and delete CRD tlsroutes.gateway.networking.k8s.io, which v1.4 standard does not have)${downgrade}`;
}

/** The commands of the fix of a {@link TlsRouteTrap}, for the entity tab. */
export function tlsRouteTrapCommands(
  trap: TlsRouteTrap,
  options: { istioNamespace: string; safeUpgradesPolicy?: boolean },
): string[] {
  return [
    `# Upgrade istiod to ${trap.fixedIstio} or later (istio/istio#59443), with Helm:`,
    `helm upgrade istiod istio/istiod -n ${options.istioNamespace} --version ${trap.fixedIstio} --reuse-values`,
    '# or with the Sail Operator:',
    `kubectl patch istio default --type merge -p '{"spec":{"version":"v${trap.fixedIstio}"}}'`,
    `# or go back to Gateway API ${GATEWAY_API_LAST_COMPATIBLE_MINOR} (its standard channel has no TLSRoute; deleting the CRD deletes every TLSRoute):`,
    ...(options.safeUpgradesPolicy
      ? [
          `# the ${trap.gatewayApiVersion} ValidatingAdmissionPolicy ${GATEWAY_API_SAFE_UPGRADES_POLICY} refuses CRDs before v1.5.0 until it is deleted`,
          `kubectl delete validatingadmissionpolicybinding,validatingadmissionpolicy ${GATEWAY_API_SAFE_UPGRADES_POLICY}`,
        ]
      : []),
    'kubectl delete crd tlsroutes.gateway.networking.k8s.io',
    `kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_LAST_COMPATIBLE_MINOR}.1/standard-install.yaml`,
  ];
}
