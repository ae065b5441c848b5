import {
  ClusterMeshStatus,
  gradeMtls,
  gradingMode,
  ISTIO_ROOT_NAMESPACE,
} from '@ambient-mesh/plugin-istio-common';
import { entityTracing } from './controlPlane';
import { diagnose } from './diagnostics';
import { assessEnrollment } from './enrollment';
import { labelsOf } from './objects';
import { entityPeerAuthentication } from './peerAuthentication';
import {
  appliedPeerAuthentication,
  applicableAuthorizationPolicies,
  applicableRequestAuthentications,
  hasDefaultDeny,
  PolicyContext,
} from './policies';
import type { AssessMeshOptions, MeshSnapshot } from './snapshot';
import { summarizeTraffic } from './trafficSummary';
import { assessWaypoint } from './waypoint';

/**
 * Assesses the mesh status of one entity in one cluster from a snapshot: enrollment and
 * per-pod capture, waypoint, configured mTLS posture, applicable policies with their
 * enforcer, default deny, and diagnostics. Pure: no I/O, same snapshot, same answer.
 * The observed mTLS share is left null for the metrics to fill in.
 *
 * @public
 */
export function assessMesh(
  snapshot: MeshSnapshot,
  options: AssessMeshOptions = {},
): ClusterMeshStatus {
  const rootNamespace = options.rootNamespace ?? ISTIO_ROOT_NAMESPACE;
  const enrollment = assessEnrollment(
    snapshot.namespace,
    snapshot.namespaceObject,
    snapshot.pods,
  );
  const waypoint = assessWaypoint(snapshot);
  const podLabels = snapshot.pods.map(p => labelsOf(p));
  const configured = entityPeerAuthentication(
    snapshot.pods,
    snapshot.services,
    snapshot.namespace,
    rootNamespace,
    snapshot.peerAuthentications,
  );
  const policyContext: PolicyContext = {
    namespace: snapshot.namespace,
    rootNamespace,
    pods: snapshot.pods,
    services: snapshot.services,
    waypoint,
  };
  const authorization = applicableAuthorizationPolicies(
    snapshot.authorizationPolicies,
    policyContext,
  );
  const requestAuthentications = applicableRequestAuthentications(
    snapshot.requestAuthentications,
    policyContext,
  );
  const peer = appliedPeerAuthentication(
    snapshot.peerAuthentications,
    configured,
  );
  const controlPlane = {
    ...snapshot.controlPlane,
    tracing: entityTracing(
      snapshot.controlPlane.tracing,
      snapshot.telemetries,
      {
        namespace: snapshot.namespace,
        rootNamespace,
        podLabels,
        waypointName: waypoint.kind === 'waypoint' ? waypoint.name : undefined,
        istiodVersion: snapshot.controlPlane.istiod.version,
        ...(waypoint.kind === 'waypoint'
          ? {
              waypoint: { name: waypoint.name, namespace: waypoint.namespace },
              services: snapshot.services.map(s => ({
                name: s.metadata?.name ?? '',
                namespace: s.metadata?.namespace ?? snapshot.namespace,
              })),
            }
          : {}),
      },
    ),
  };

  const diagnosticContext = {
    snapshot,
    enrollment,
    waypoint,
    mtls: configured,
    authorizationPolicies: authorization,
    requestAuthentications,
    controlPlane,
    rootNamespace,
    trustDomain: options.trustDomain ?? 'cluster.local',
    onboardTemplateRef:
      options.onboardTemplateRef ?? 'template:default/onboard-namespace',
    meshTemplateRef: options.meshTemplateRef ?? 'template:default/ambient-mesh',
  };
  const diagnostics = diagnose(diagnosticContext, options.diagnosticRules);
  const traffic = summarizeTraffic(diagnosticContext, diagnostics);

  return {
    cluster: snapshot.cluster,
    namespace: snapshot.namespace,
    ...(snapshot.labelSelector
      ? { labelSelector: snapshot.labelSelector }
      : {}),
    enrollment,
    waypoint,
    controlPlane,
    mtls: {
      configured,
      observedShare: null,
      plaintextSources: [],
      grade: gradeMtls({
        mode: gradingMode(configured),
        capturedPods: enrollment.podCounts.captured,
        totalPods: enrollment.pods.length,
        observedShare: null,
      }),
    },
    policies: {
      items: [
        ...(peer ? [peer] : []),
        ...authorization.map(a => a.applied),
        ...requestAuthentications.map(r => r.applied),
      ],
      defaultDeny: hasDefaultDeny(authorization),
    },
    diagnostics,
    ...(traffic ? { traffic } : {}),
  };
}
