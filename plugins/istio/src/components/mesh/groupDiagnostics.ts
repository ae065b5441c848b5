import type {
  Diagnostic,
  DiagnosticSeverity,
} from '@ambient-mesh/plugin-istio-common';
import { sortDiagnostics } from './labels';

/** The diagnostics about one object (or about the entity as a whole). */
export interface ObjectGroup {
  /** `Kind namespace/name`, or `This service` for diagnostics about no one object. */
  label: string;
  diagnostics: Diagnostic[];
}

/** The diagnostics of one severity, grouped by the object they are about. */
export interface SeverityGroup {
  severity: DiagnosticSeverity;
  label: string;
  count: number;
  objects: ObjectGroup[];
}

const SEVERITY_LABEL: Record<DiagnosticSeverity, string> = {
  error: 'Errors',
  warning: 'Warnings',
  info: 'Information',
};

/** How a diagnostic names its object. */
export function objectLabel(d: Diagnostic): string {
  if (!d.object) return 'This service';
  const { kind, name, namespace } = d.object;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/**
 * Groups diagnostics by severity (most severe first), then by object in the order each
 * object first appears.
 */
export function groupDiagnostics(diagnostics: Diagnostic[]): SeverityGroup[] {
  const groups: SeverityGroup[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    let group = groups.find(g => g.severity === d.severity);
    if (!group) {
      group = {
        severity: d.severity,
        label: SEVERITY_LABEL[d.severity],
        count: 0,
        objects: [],
      };
      groups.push(group);
    }
    group.count += 1;
    const label = objectLabel(d);
    let object = group.objects.find(o => o.label === label);
    if (!object) {
      object = { label, diagnostics: [] };
      group.objects.push(object);
    }
    object.diagnostics.push(d);
  }
  return groups;
}
