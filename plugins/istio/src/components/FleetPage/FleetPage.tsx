import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { coreApis } from '@backstage/frontend-plugin-api';
import { Link } from '@backstage/ui';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  FleetEntry,
  FleetResponse,
} from '@ambient-mesh/plugin-istio-common';

/** One row: an entity in one cluster. */
export interface FleetRow {
  id: string;
  entityRef: string;
  title: string;
  owner: string;
  system: string;
  cluster: string;
  captured: string;
  capturedRatio: number;
  waypoint: string;
  grade: string;
  defaultDeny: string;
  /** Health grade from the golden signals ('-' when no Prometheus serves the cluster). */
  health: string;
  /** The 5xx share behind the grade, e.g. `5.0 % 5xx`. */
  healthDetail?: string;
  errors: number;
  warnings: number;
  infos: number;
  problem?: string;
}

function yesNo(value: boolean | undefined): string {
  if (value === undefined) return '-';
  return value ? 'yes' : 'no';
}

function waypointText(c: FleetEntry['clusters'][number]): string {
  if (c.error) return '-';
  if (!c.waypoint) return 'none';
  return `${c.waypoint.name} (${c.waypoint.ready ? 'ready' : 'not ready'})`;
}

function healthDetail(c: FleetEntry['clusters'][number]): string | undefined {
  const h = c.health;
  if (!h) return undefined;
  if (h.error) return h.error;
  if (h.rps === null) return 'no waypoint reports it';
  if (h.errorRatio5xx === null) return undefined;
  return `${(h.errorRatio5xx * 100).toFixed(1)} % 5xx, ${(
    (h.errorRatio4xx ?? 0) * 100
  ).toFixed(1)} % 4xx of ${h.rps.toFixed(1)} req/s`;
}

/** Flattens the fleet answer to one row per entity and cluster. */
export function fleetRows(items: FleetEntry[]): FleetRow[] {
  return items.flatMap(item =>
    item.clusters.map(c => {
      const total = c.totalPods ?? 0;
      const captured = c.capturedPods ?? 0;
      return {
        id: `${item.entityRef}@${c.cluster}/${c.namespace ?? ''}`,
        entityRef: item.entityRef,
        title: item.title,
        owner: item.owner ?? '',
        system: item.system ?? '',
        cluster: c.cluster,
        captured: c.error ? '-' : `${captured}/${total}`,
        capturedRatio: total ? captured / total : 0,
        waypoint: waypointText(c),
        grade: c.mtlsGrade ?? 'unknown',
        defaultDeny: yesNo(c.error ? undefined : c.defaultDeny),
        health: c.health?.grade ?? '-',
        healthDetail: healthDetail(c),
        errors: c.diagnostics?.error ?? 0,
        warnings: c.diagnostics?.warning ?? 0,
        infos: c.diagnostics?.info ?? 0,
        problem: c.error,
      };
    }),
  );
}

const ALL = '__all__';

function useFleet() {
  const discoveryApi = useApi(coreApis.discovery);
  const fetchApi = useApi(coreApis.fetch);
  return useAsync(async () => {
    const baseUrl = await discoveryApi.getBaseUrl('istio');
    const items: FleetEntry[] = [];
    let cursor: string | undefined;
    // One request answers up to 200 entities; follow the cursor for more
    for (let page = 0; page < 50; page++) {
      const query = new URLSearchParams({ limit: '200' });
      if (cursor) query.set('cursor', cursor);
      const response = await fetchApi.fetch(`${baseUrl}/v1/fleet?${query}`);
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const body = (await response.json()) as FleetResponse;
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }, [discoveryApi, fetchApi]);
}

/**
 * The fleet overview: every component with Kubernetes annotations, per
 * cluster, with enrollment, waypoint, mTLS grade, default deny, health and
 * diagnostics; filters by owner, system, cluster and grade.
 */
export const FleetPage = () => {
  const { value, loading, error } = useFleet();
  const entityRoute = useRouteRef(entityRouteRef);
  const [filters, setFilters] = useState<Record<string, string>>({
    owner: ALL,
    system: ALL,
    cluster: ALL,
    grade: ALL,
  });
  const rows = useMemo(() => fleetRows(value ?? []), [value]);
  const shown = rows.filter(row =>
    (['owner', 'system', 'cluster', 'grade'] as const).every(
      key => filters[key] === ALL || row[key] === filters[key],
    ),
  );
  const options = (key: 'owner' | 'system' | 'cluster' | 'grade') => [
    { label: 'All', value: ALL },
    ...[...new Set(rows.map(r => r[key]).filter(Boolean))]
      .sort()
      .map(v => ({ label: v, value: v })),
  ];
  const columns: TableColumn<FleetRow>[] = [
    {
      title: 'Component',
      field: 'title',
      render: row => {
        const ref = parseEntityRef(row.entityRef);
        return (
          <Link
            href={`${entityRoute({
              kind: ref.kind.toLocaleLowerCase('en-US'),
              namespace: ref.namespace,
              name: ref.name,
            })}/mesh`}
          >
            {row.title}
          </Link>
        );
      },
    },
    { title: 'Owner', field: 'owner' },
    { title: 'System', field: 'system' },
    { title: 'Cluster', field: 'cluster' },
    {
      title: 'Captured pods',
      field: 'capturedRatio',
      render: row => row.captured,
    },
    { title: 'Waypoint', field: 'waypoint' },
    { title: 'mTLS grade', field: 'grade' },
    { title: 'Default deny', field: 'defaultDeny' },
    {
      title: 'Health',
      field: 'health',
      render: row => (
        <>
          {row.health}
          {row.healthDetail && (
            <Typography variant="caption" component="div">
              {row.healthDetail}
            </Typography>
          )}
        </>
      ),
    },
    { title: 'Errors', field: 'errors', type: 'numeric' },
    { title: 'Warnings', field: 'warnings', type: 'numeric' },
    { title: 'Info', field: 'infos', type: 'numeric' },
    { title: 'Problem', field: 'problem' },
  ];
  return (
    <Box p={3}>
      <Typography variant="h4" component="h1">
        Service Mesh fleet
      </Typography>
      <Typography variant="subtitle1" component="p" gutterBottom>
        Ambient mesh posture of every component with Kubernetes annotations
      </Typography>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <div style={{ display: 'flex', gap: 16, marginBottom: 16 }}>
            {(['owner', 'system', 'cluster', 'grade'] as const).map(key => {
              const label =
                key === 'grade'
                  ? 'mTLS grade'
                  : key[0].toUpperCase() + key.slice(1);
              const labelId = `istio-fleet-filter-${key}`;
              return (
                <div key={key} data-testid="select">
                  <FormControl style={{ minWidth: 160 }}>
                    <InputLabel id={labelId}>{label}</InputLabel>
                    <Select
                      labelId={labelId}
                      value={filters[key]}
                      onChange={e =>
                        setFilters(f => ({
                          ...f,
                          [key]: String(e.target.value),
                        }))
                      }
                    >
                      {options(key).map(o => (
                        <MenuItem key={String(o.value)} value={o.value}>
                          {o.label}
                        </MenuItem>
                      ))}
                    </Select>
                  </FormControl>
                </div>
              );
            })}
          </div>
          <Table<FleetRow>
            title={`Components (${shown.length})`}
            options={{
              paging: true,
              pageSize: 50,
              pageSizeOptions: [20, 50, 100],
              search: true,
            }}
            columns={columns}
            data={shown}
          />
        </>
      )}
    </Box>
  );
};
