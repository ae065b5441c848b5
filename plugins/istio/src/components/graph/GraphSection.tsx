import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { istioApiRef } from '../../api';
import { MetricsError } from '../metrics/MetricsSection';
import { AsyncSection } from '../shared/AsyncSection';
import { EmptyState } from '../shared/EmptyState';
import { ClusterResults } from '../shared/ClusterResults';
import { useRefreshToken } from '../shared/RefreshContext';
import { useEntityRef } from '../shared/useEntityRef';
import { TrafficGraph } from './TrafficGraph';

/** The traffic graph of the entity, per cluster, over the rate window. */
export function GraphSection(props: { window: string }) {
  const { window } = props;
  const api = useApi(istioApiRef);
  const entityRef = useEntityRef();
  const refresh = useRefreshToken();
  const state = useAsync(async () => {
    if (!api.getTrafficGraph) {
      return { entityRef: '', clusters: [] };
    }
    return api.getTrafficGraph(entityRef, { window });
  }, [api, entityRef, window, refresh]);
  return (
    <AsyncSection state={state} title="the traffic graph" skeletonHeight={200}>
      {response =>
        response.clusters.length === 0 ? (
          <EmptyState
            missing="data"
            title="No traffic graph"
            description="No cluster reports traffic for this entity."
          />
        ) : (
          <ClusterResults
            results={response.clusters}
            what="the traffic graph"
            renderError={(error, cluster) => (
              <MetricsError error={error} cluster={cluster} />
            )}
          >
            {graph =>
              graph.edges.length === 0 ? (
                <Typography variant="body2">
                  No traffic to or from this service over the last{' '}
                  {graph.window}: nothing calls it and it calls nothing, as far
                  as ztunnel and the waypoint report. Send traffic, or pick a
                  longer rate window.
                </Typography>
              ) : (
                <TrafficGraph graph={graph} />
              )
            }
          </ClusterResults>
        )
      }
    </AsyncSection>
  );
}
