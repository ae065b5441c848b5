import type {
  ClusterMeshStatus,
  Diagnostic,
} from '@ambient-mesh/plugin-istio-common';
import { yamlFix } from './diagnostics/fixes';
import {
  podMonitorFor,
  scrapeSubjects,
  ScrapeSubject,
  targetsOf,
} from './diagnostics/telemetryPresenceDiagnostics';
import type { ScrapeTargetFacts } from './trafficObjects';

/** One active target of the Prometheus targets API (`/api/v1/targets`). @public */
export interface PrometheusTarget {
  labels: Record<string, string>;
  discoveredLabels?: Record<string, string>;
  scrapePool?: string;
  health: string;
  lastError?: string;
}

/**
 * What the targets API says about each scrape, by pod: the `pod`/`namespace` target
 * labels, else the Kubernetes service-discovery meta labels.
 *
 * @public
 */
export function scrapeTargetFacts(
  targets: PrometheusTarget[],
): ScrapeTargetFacts[] {
  return targets.map(t => {
    const pod = t.labels.pod ?? t.discoveredLabels?.__meta_kubernetes_pod_name;
    const namespace =
      t.labels.namespace ?? t.discoveredLabels?.__meta_kubernetes_namespace;
    let health: ScrapeTargetFacts['health'] = 'unknown';
    if (t.health === 'up') health = 'up';
    if (t.health === 'down') health = 'down';
    return {
      job: t.labels.job ?? t.scrapePool ?? '',
      health,
      ...(pod ? { pod } : {}),
      ...(namespace ? { namespace } : {}),
      ...(t.lastError ? { lastError: t.lastError } : {}),
    };
  });
}

function isAbout(d: Diagnostic, subject: ScrapeSubject): boolean {
  if (d.id !== 'telemetry-not-scraped') return false;
  return subject.what === 'ztunnel'
    ? d.object?.kind === 'DaemonSet'
    : d.object?.kind === 'Gateway' && d.object.name === subject.name;
}

/**
 * Folds what Prometheus says about its targets into a mesh status: a subject (ztunnel,
 * the waypoint) whose pods Prometheus scrapes successfully loses its "not scraped"
 * diagnostic; one whose targets are all down gets the scrape error as evidence.
 * Prometheus configs that scrape without pod labels say nothing here, so nothing changes.
 *
 * @public
 */
export function applyScrapeTargets(
  status: ClusterMeshStatus,
  targets: ScrapeTargetFacts[],
): ClusterMeshStatus {
  let diagnostics = status.diagnostics;
  for (const subject of scrapeSubjects(status.controlPlane, status.waypoint)) {
    const mine = targetsOf(subject, targets);
    if (mine.length === 0) continue;
    const existing = diagnostics.find(d => isAbout(d, subject));
    diagnostics = diagnostics.filter(d => !isAbout(d, subject));
    if (mine.some(t => t.health === 'up')) continue;
    const label =
      subject.what === 'ztunnel'
        ? `ztunnel (${subject.namespace})`
        : `waypoint ${subject.namespace}/${subject.name}`;
    diagnostics = [
      ...diagnostics,
      {
        id: 'telemetry-not-scraped',
        severity: 'warning',
        title: `${
          subject.what === 'ztunnel' ? 'ztunnel' : 'Waypoint'
        } metrics are not collected`,
        message: `Prometheus tries to scrape ${label} but every scrape fails (${
          mine[0].lastError ?? 'target down'
        }), so the entity's ${
          subject.what === 'ztunnel' ? 'L4' : 'L7'
        } series are missing.`,
        evidence: [
          ...mine.map(
            t =>
              `Prometheus target ${t.pod} (job ${t.job}) up=0${
                t.lastError ? `: ${t.lastError}` : ''
              }`,
          ),
          ...(existing?.evidence ?? []),
        ],
        fix: existing?.fix ?? yamlFix(podMonitorFor(subject)),
        object:
          subject.what === 'ztunnel'
            ? {
                kind: 'DaemonSet',
                name: 'ztunnel',
                namespace: subject.namespace,
              }
            : {
                kind: 'Gateway',
                name: subject.name,
                namespace: subject.namespace,
              },
      },
    ];
  }
  return { ...status, diagnostics };
}
