import { evaluateJsonPath, printJsonPathValue } from './jsonpath';
import { PrinterColumn, ResourceType } from './resources';
import { isPlainObject, KubeObject } from './types';

/**
 * Server-side printing: the `meta.k8s.io` Table that kubectl asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl
 * `pkg/cmd/get/get.go` `transformRequests`). Built-in kinds get the columns
 * of kubernetes `pkg/printers/internalversion/printers.go`; custom resources
 * the CRD's `additionalPrinterColumns` after Name, or Age when it has none
 * (apiextensions-apiserver `pkg/registry/customresource/tableconvertor`);
 * kinds without a printer the default convertor's Name and Created At
 * (apiserver `pkg/registry/rest/table.go`). Each row carries the object as
 * PartialObjectMetadata (the `includeObject=Metadata` default) or whole
 * with `includeObject=Object`.
 */

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean | null;

interface Printer {
  columns: Array<[name: string, type: string, priority?: number]>;
  cells(object: Record<string, any>, now: number): Cell[];
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** apimachinery `pkg/util/duration` `HumanDuration`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0
      ? `${Math.floor(hours / 24)}d`
      : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(object: Record<string, any>, now: number): string {
  const created = Date.parse(object.metadata?.creationTimestamp ?? '');
  return Number.isNaN(created) ? '<unknown>' : humanDuration(now - created);
}

/** A plain label map (a Service's selector) as `k=v,k2=v2`. */
function mapText(map: unknown): string {
  if (!isPlainObject(map)) return '<none>';
  const parts = Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return parts.length ? parts.join(',') : '<none>';
}

/** A LabelSelector as apimachinery `metav1.FormatLabelSelector` prints it. */
function selectorText(selector: unknown): string {
  if (!isPlainObject(selector)) return '<none>';
  const parts = Object.entries(
    isPlainObject(selector.matchLabels) ? selector.matchLabels : {},
  )
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  for (const e of (selector.matchExpressions as any[]) ?? []) {
    const values = ((e.values as string[]) ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

function containers(template: any): [string, string] {
  const list: any[] = template?.spec?.containers ?? [];
  return [list.map(c => c.name).join(','), list.map(c => c.image).join(',')];
}

const TEMPLATE_COLUMNS: Printer['columns'] = [
  ['Containers', 'string', 1],
  ['Images', 'string', 1],
  ['Selector', 'string', 1],
];

function templateCells(o: Record<string, any>): Cell[] {
  const [names, images] = containers(o.spec?.template);
  return [names, images, selectorText(o.spec?.selector)];
}

function servicePorts(spec: any): string {
  const ports: any[] = spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports
    .map(p =>
      p.nodePort
        ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}`
        : `${p.port}/${p.protocol ?? 'TCP'}`,
    )
    .join(',');
}

function externalIp(spec: any, status: any): string {
  const external: string[] = spec?.externalIPs ?? [];
  switch (spec?.type) {
    case 'ExternalName':
      return spec.externalName ?? '<none>';
    case 'LoadBalancer': {
      const ingress: any[] = status?.loadBalancer?.ingress ?? [];
      const all = [...ingress.map(i => i.ip ?? i.hostname), ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return external.length ? external.join(',') : '<none>';
  }
}

const BUILTIN_PRINTERS: Record<string, Printer> = {
  '/Namespace': {
    columns: [
      ['Status', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.status?.phase ?? '', age(o, now)],
  },
  '/Pod': {
    columns: [
      ['Ready', 'string'],
      ['Status', 'string'],
      ['Restarts', 'string'],
      ['Age', 'string'],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
    cells: (o, now) => {
      const statuses: any[] = o.status?.containerStatuses ?? [];
      const total = (o.spec?.containers ?? []).length;
      const ready = statuses.filter(s => s.ready).length;
      const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
      const reason = o.metadata?.deletionTimestamp
        ? 'Terminating'
        : o.status?.reason ?? o.status?.phase ?? '';
      return [
        `${ready}/${total}`,
        reason,
        String(restarts),
        age(o, now),
        o.status?.podIP ?? '<none>',
        o.spec?.nodeName ?? '<none>',
        o.status?.nominatedNodeName ?? '<none>',
        '<none>',
      ];
    },
  },
  '/Service': {
    columns: [
      ['Type', 'string'],
      ['Cluster-IP', 'string'],
      ['External-IP', 'string'],
      ['Port(s)', 'string'],
      ['Age', 'string'],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => [
      o.spec?.type ?? 'ClusterIP',
      o.spec?.clusterIP || '<none>',
      externalIp(o.spec, o.status),
      servicePorts(o.spec),
      age(o, now),
      mapText(o.spec?.selector),
    ],
  },
  '/ServiceAccount': {
    columns: [
      ['Secrets', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [(o.secrets ?? []).length, age(o, now)],
  },
  '/ConfigMap': {
    columns: [
      ['Data', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      age(o, now),
    ],
  },
  '/Secret': {
    columns: [
      ['Type', 'string'],
      ['Data', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [
      o.type ?? 'Opaque',
      Object.keys(o.data ?? {}).length,
      age(o, now),
    ],
  },
  'apps/Deployment': {
    columns: [
      ['Ready', 'string'],
      ['Up-to-date', 'string'],
      ['Available', 'string'],
      ['Age', 'string'],
      ...TEMPLATE_COLUMNS,
    ],
    cells: (o, now) => [
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o, now),
      ...templateCells(o),
    ],
  },
  'apps/ReplicaSet': {
    columns: [
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Age', 'string'],
      ...TEMPLATE_COLUMNS,
    ],
    cells: (o, now) => [
      o.spec?.replicas ?? 1,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      ...templateCells(o),
    ],
  },
  'apps/StatefulSet': {
    columns: [
      ['Ready', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
    ],
    cells: (o, now) => [
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
      age(o, now),
      ...templateCells(o).slice(0, 2),
    ],
  },
  'apps/DaemonSet': {
    columns: [
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      ['Node Selector', 'string'],
      ['Age', 'string'],
      ...TEMPLATE_COLUMNS,
    ],
    cells: (o, now) => {
      const nodeSelector = Object.entries(
        o.spec?.template?.spec?.nodeSelector ?? {},
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return [
        o.status?.desiredNumberScheduled ?? 0,
        o.status?.currentNumberScheduled ?? 0,
        o.status?.numberReady ?? 0,
        o.status?.updatedNumberScheduled ?? 0,
        o.status?.numberAvailable ?? 0,
        nodeSelector || '<none>',
        age(o, now),
        ...templateCells(o),
      ];
    },
  },
  'networking.k8s.io/NetworkPolicy': {
    columns: [
      ['Pod-Selector', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [
      Object.keys(o.spec?.podSelector?.matchLabels ?? {}).length ||
      (o.spec?.podSelector?.matchExpressions ?? []).length
        ? selectorText(o.spec.podSelector)
        : '<none>',
      age(o, now),
    ],
  },
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': {
    columns: [
      ['Validations', 'integer'],
      ['ParamKind', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [
      (o.spec?.validations ?? []).length,
      o.spec?.paramKind
        ? `${o.spec.paramKind.apiVersion}/${o.spec.paramKind.kind}`
        : '<unset>',
      age(o, now),
    ],
  },
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': {
    columns: [
      ['PolicyName', 'string'],
      ['ParamRef', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => {
      const ref = o.spec?.paramRef;
      let param = '<unset>';
      if (ref?.name) {
        param = ref.namespace
          ? `${ref.namespace}/${ref.name}`
          : `*/${ref.name}`;
      } else if (ref?.selector) {
        param = selectorText(ref.selector);
      }
      return [o.spec?.policyName ?? '', param, age(o, now)];
    },
  },
  '/ResourceQuota': {
    columns: [
      ['Age', 'string'],
      ['Request', 'string'],
      ['Limit', 'string'],
    ],
    cells: (o, now) => {
      const pairs = (prefix: string) =>
        Object.entries(o.spec?.hard ?? {})
          .filter(([k]) => k.startsWith(prefix))
          .map(([k, v]) => `${k}: ${o.status?.used?.[k] ?? '0'}/${v as string}`)
          .join(', ');
      return [age(o, now), pairs('requests.'), pairs('limits.')];
    },
  },
  '/Event': {
    // The event printer leads with Last Seen; its Name column is last, at priority 1.
    columns: [
      ['Last Seen', 'string'],
      ['Type', 'string'],
      ['Reason', 'string'],
      ['Object', 'string'],
      ['Subobject', 'string', 1],
      ['Source', 'string', 1],
      ['Message', 'string'],
      ['First Seen', 'string', 1],
      ['Count', 'string', 1],
      ['Name', 'string', 1],
    ],
    cells: (o, now) => {
      const since = (t?: string) =>
        t ? humanDuration(now - Date.parse(t)) : '<unknown>';
      const last =
        o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp;
      const involved = o.involvedObject ?? {};
      return [
        since(last),
        o.type ?? '',
        o.reason ?? '',
        `${String(involved.kind ?? '').toLowerCase()}/${involved.name ?? ''}`,
        involved.fieldPath ?? '',
        o.source?.component ?? o.reportingComponent ?? '',
        String(o.message ?? '').trim(),
        since(o.firstTimestamp ?? last),
        o.count ?? 1,
        o.metadata?.name ?? '',
      ];
    },
  },
};

function column(
  name: string,
  type: string,
  priority = 0,
  description = '',
  format = '',
): TableColumnDefinition {
  return { name, type, format, description, priority };
}

function nameColumn(): TableColumnDefinition {
  return column('Name', 'string', 0, NAME_DESCRIPTION, 'name');
}

const DEFAULT_CRD_COLUMNS: PrinterColumn[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

function crdCell(object: unknown, col: PrinterColumn, now: number): Cell {
  const found = evaluateJsonPath(object, col.jsonPath);
  if (found.length === 0 || found[0] === undefined) return null;
  const value = found[0];
  switch (col.type) {
    case 'string':
      return printJsonPathValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const time = Date.parse(value);
      return Number.isNaN(time) ? '<invalid>' : humanDuration(now - time);
    }
    default:
      return null;
  }
}

interface Converter {
  columns: TableColumnDefinition[];
  cells(object: KubeObject, now: number): Cell[];
}

function converterFor(type: ResourceType): Converter {
  if (type.custom) {
    const columns =
      type.printerColumns && type.printerColumns.length > 0
        ? type.printerColumns
        : DEFAULT_CRD_COLUMNS;
    return {
      columns: [
        nameColumn(),
        ...columns.map(c =>
          column(
            c.name,
            c.type,
            c.priority ?? 0,
            c.description ??
              `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
            c.format ?? '',
          ),
        ),
      ],
      cells: (o, now) => [
        o.metadata.name,
        ...columns.map(c => crdCell(o, c, now)),
      ],
    };
  }
  const printer = BUILTIN_PRINTERS[`${type.group}/${type.kind}`];
  if (printer) {
    // Every printer leads with Name except the event printer.
    const leadsWithName = !printer.columns.some(([n]) => n === 'Name');
    return {
      columns: [
        ...(leadsWithName ? [nameColumn()] : []),
        ...printer.columns.map(([n, t, p]) =>
          n === 'Name'
            ? { ...nameColumn(), priority: p ?? 0 }
            : column(n, t, p ?? 0, n === 'Age' ? AGE_DESCRIPTION : ''),
        ),
      ],
      cells: (o, now) => [
        ...(leadsWithName ? [o.metadata.name] : []),
        ...printer.cells(o, now),
      ],
    };
  }
  return {
    columns: [nameColumn(), column('Created At', 'date', 0, AGE_DESCRIPTION)],
    cells: o => [
      o.metadata.name,
      o.metadata.creationTimestamp
        ? new Date(o.metadata.creationTimestamp)
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z')
        : null,
    ],
  };
}

/** What `Accept` asks for: a Table (and which meta.k8s.io version), or the object. */
export function tableVersionFromAccept(
  accept: string | undefined,
): 'v1' | 'v1beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const [mediaType, ...params] = part.split(';').map(s => s.trim());
    if (mediaType !== 'application/json') continue;
    const p = Object.fromEntries(
      params.map(x => x.split('=').map(s => s.trim()) as [string, string]),
    );
    if (p.as !== 'Table') continue;
    if (p.g !== 'meta.k8s.io') continue;
    if (p.v === 'v1' || p.v === 'v1beta1') return p.v;
  }
  return undefined;
}

function rowObject(object: KubeObject, include: string, version: string) {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: object.metadata,
  };
}

/** Converts objects (one, or a list's items) into a Table. */
export function toTable(options: {
  type: ResourceType;
  objects: KubeObject[];
  version: 'v1' | 'v1beta1';
  includeObject?: string | null;
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
  noHeaders?: boolean;
  now?: number;
}) {
  const converter = converterFor(options.type);
  const now = options.now ?? Date.now();
  const include = options.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: {
      ...(options.resourceVersion
        ? { resourceVersion: options.resourceVersion }
        : {}),
      ...(options.continueToken ? { continue: options.continueToken } : {}),
      ...(options.remainingItemCount !== undefined
        ? { remainingItemCount: options.remainingItemCount }
        : {}),
    },
    ...(options.noHeaders ? {} : { columnDefinitions: converter.columns }),
    rows: options.objects.map(object => {
      const embedded = rowObject(object, include, options.version);
      return {
        cells: converter.cells(object, now),
        ...(embedded ? { object: embedded } : {}),
      };
    }),
  };
}
