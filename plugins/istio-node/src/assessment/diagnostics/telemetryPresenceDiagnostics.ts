import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { matchesLabels } from '../objects';
import type {
  MonitorObject,
  ScrapeTargetFacts,
  TrafficSnapshot,
} from '../trafficObjects';
import type { DiagnosticContext, DiagnosticRule } from './context';
import { yamlFix } from './fixes';
import { GATEWAY_NAME_LABEL } from './extensionDiagnostics';
import { nameOf } from './trafficContext';

/** Pod labels of ztunnel in Istio's ztunnel chart. */
export const ZTUNNEL_POD_LABELS = { app: 'ztunnel' };

/** A workload whose metrics the entity's signals come from. */
export interface ScrapeSubject {
  what: 'ztunnel' | 'waypoint';
  name: string;
  namespace: string;
  podLabels: Record<string, string>;
  /** The container port Istio names for metrics (ztunnel chart: ztunnel-stats; waypoint template: metrics). */
  port: string;
}

function monitorSelects(
  monitor: MonitorObject,
  subject: ScrapeSubject,
  traffic: TrafficSnapshot,
  kind: 'PodMonitor' | 'ServiceMonitor',
): boolean {
  const nsSel = monitor.spec?.namespaceSelector;
  let inNs = monitor.metadata.namespace === subject.namespace;
  if (nsSel?.matchNames?.length) {
    inNs = nsSel.matchNames.includes(subject.namespace);
  }
  if (nsSel?.any) inNs = true;
  if (!inNs) return false;
  const selector = monitor.spec?.selector?.matchLabels;
  if (kind === 'PodMonitor') return matchesLabels(selector, subject.podLabels);
  // A ServiceMonitor scrapes the pods behind the Services it selects.
  return traffic.services.some(
    s =>
      s.metadata?.namespace === subject.namespace &&
      matchesLabels(selector, s.metadata?.labels ?? {}) &&
      Object.keys(s.spec?.selector ?? {}).length > 0 &&
      matchesLabels(s.spec?.selector, subject.podLabels),
  );
}

export function targetsOf(
  subject: ScrapeSubject,
  targets: ScrapeTargetFacts[],
): ScrapeTargetFacts[] {
  return targets.filter(
    t =>
      t.namespace === subject.namespace &&
      (subject.what === 'ztunnel'
        ? (t.pod ?? '').startsWith('ztunnel')
        : (t.pod ?? '').startsWith(`${subject.name}-`)),
  );
}

/** The PodMonitor that collects a subject's metrics. */
export function podMonitorFor(subject: ScrapeSubject): object {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: {
      name: subject.what === 'ztunnel' ? 'ztunnel' : `${subject.name}-waypoint`,
      namespace: subject.namespace,
    },
    spec: {
      selector: { matchLabels: subject.podLabels },
      podMetricsEndpoints: [
        { port: subject.port, path: '/stats/prometheus', interval: '15s' },
      ],
    },
  };
}

function scrapeConfigFor(subject: ScrapeSubject): object {
  const [labelKey, labelValue] = Object.entries(subject.podLabels)[0];
  const metaLabel = labelKey.replace(/[^A-Za-z0-9_]/g, '_');
  return {
    scrape_configs: [
      {
        job_name:
          subject.what === 'ztunnel' ? 'ztunnel' : `waypoint-${subject.name}`,
        metrics_path: '/stats/prometheus',
        kubernetes_sd_configs: [
          { role: 'pod', namespaces: { names: [subject.namespace] } },
        ],
        relabel_configs: [
          {
            source_labels: [`__meta_kubernetes_pod_label_${metaLabel}`],
            regex: labelValue,
            action: 'keep',
          },
          {
            source_labels: ['__meta_kubernetes_pod_container_port_number'],
            regex: '15020',
            action: 'keep',
          },
          {
            source_labels: ['__meta_kubernetes_pod_name'],
            target_label: 'pod',
          },
          {
            source_labels: ['__meta_kubernetes_namespace'],
            target_label: 'namespace',
          },
        ],
      },
    ],
  };
}

function subjectsOf(context: DiagnosticContext): ScrapeSubject[] {
  return scrapeSubjects(context.controlPlane, context.waypoint);
}

/** ztunnel, and the entity's waypoint when it has one. */
export function scrapeSubjects(
  controlPlane: DiagnosticContext['controlPlane'],
  waypoint: DiagnosticContext['waypoint'],
): ScrapeSubject[] {
  const context = { controlPlane, waypoint };
  const subjects: ScrapeSubject[] = [];
  if (context.controlPlane.ztunnel.present) {
    subjects.push({
      what: 'ztunnel',
      name: 'ztunnel',
      namespace: context.controlPlane.istioNamespace,
      podLabels: ZTUNNEL_POD_LABELS,
      port: 'ztunnel-stats',
    });
  }
  const w = context.waypoint;
  if (w.kind === 'waypoint' && w.exists) {
    subjects.push({
      what: 'waypoint',
      name: w.name,
      namespace: w.namespace,
      podLabels: { [GATEWAY_NAME_LABEL]: w.name },
      port: 'metrics',
    });
  }
  return subjects;
}

/**
 * Why the ztunnel or waypoint series of the entity would be missing: what Prometheus says
 * about the scrape (targets API and `up`) and, with the Prometheus Operator, whether any
 * PodMonitor or ServiceMonitor selects the pods. The fix is the PodMonitor (or, without
 * the operator, the scrape job) that collects them.
 */
export const telemetryPresenceDiagnostics: DiagnosticRule = context => {
  const traffic = context.snapshot.traffic;
  if (!traffic || context.enrollment.mode !== 'ambient') return [];
  const result: Diagnostic[] = [];
  const operator =
    traffic.serviceMonitors !== undefined || traffic.podMonitors !== undefined;
  for (const subject of subjectsOf(context)) {
    const label =
      subject.what === 'ztunnel'
        ? `ztunnel (${subject.namespace})`
        : `waypoint ${subject.namespace}/${subject.name}`;
    const targets = traffic.scrapeTargets
      ? targetsOf(subject, traffic.scrapeTargets)
      : undefined;
    if (targets && targets.some(t => t.health === 'up')) continue;
    const monitors = operator
      ? [
          ...(traffic.podMonitors ?? [])
            .filter(m => monitorSelects(m, subject, traffic, 'PodMonitor'))
            .map(m => nameOf('PodMonitor', m)),
          ...(traffic.serviceMonitors ?? [])
            .filter(m => monitorSelects(m, subject, traffic, 'ServiceMonitor'))
            .map(m => nameOf('ServiceMonitor', m)),
        ]
      : [];
    const down = (targets ?? []).filter(t => t.health === 'down');
    const evidence: string[] = [];
    if (targets) {
      evidence.push(
        down.length > 0
          ? `Prometheus targets: ${down
              .map(
                t =>
                  `${t.pod} (job ${t.job}) up=0${
                    t.lastError ? `: ${t.lastError}` : ''
                  }`,
              )
              .join('; ')}`
          : `Prometheus targets: none for ${label}`,
      );
    }
    if (operator) {
      evidence.push(
        monitors.length > 0
          ? `selected by ${monitors.join(', ')}`
          : `no PodMonitor or ServiceMonitor selects ${label} pods (${Object.entries(
              subject.podLabels,
            )
              .map(([k, v]) => `${k}=${v}`)
              .join(',')})`,
      );
    }
    // Without Prometheus' answer, a monitor that selects the pods is taken as scraping them.
    if (!targets && (!operator || monitors.length > 0)) continue;
    if (targets && down.length === 0 && monitors.length > 0) {
      evidence.push(
        'the monitor exists but Prometheus has no target from it: check the Prometheus serviceMonitorSelector/podMonitorSelector',
      );
    }
    result.push({
      id: 'telemetry-not-scraped',
      severity: 'warning',
      title: `${
        subject.what === 'ztunnel' ? 'ztunnel' : 'Waypoint'
      } metrics are not collected`,
      message:
        down.length > 0
          ? `Prometheus tries to scrape ${label} but the scrape fails: ${
              down[0].lastError ?? 'target down'
            }. The entity's ${
              subject.what === 'ztunnel'
                ? 'L4 (TCP, mTLS)'
                : 'L7 (requests, errors, latency)'
            } series come from there.`
          : `Prometheus does not scrape ${label}, so the entity's ${
              subject.what === 'ztunnel'
                ? 'L4 (TCP, mTLS)'
                : 'L7 (requests, errors, latency)'
            } series are missing. ${
              operator
                ? 'Add a PodMonitor for its pods.'
                : 'Add a scrape job for its pods.'
            }`,
      evidence,
      fix: yamlFix(
        operator ? podMonitorFor(subject) : scrapeConfigFor(subject),
      ),
      object:
        subject.what === 'ztunnel'
          ? { kind: 'DaemonSet', name: 'ztunnel', namespace: subject.namespace }
          : {
              kind: 'Gateway',
              name: subject.name,
              namespace: subject.namespace,
            },
    });
  }
  return result;
};
