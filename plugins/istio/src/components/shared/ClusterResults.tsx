import type { ReactNode } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  ClusterResult,
  SectionError,
} from '@ambient-mesh/plugin-istio-common';
import { toError } from '../../utils/sectionError';

/**
 * Renders one block per cluster: the cluster's data, or the error that
 * prevented it (one cluster can fail while the others answer). The cluster
 * name, and the namespace when it was found from the workloads, is a heading
 * when the entity runs in more than one place.
 */
export function ClusterResults<T>(props: {
  results: ClusterResult<T>[];
  /** What the section shows, used in error titles, e.g. "metrics". */
  what: string;
  /** Heading level of the cluster names. */
  headingLevel?: 'h3' | 'h4';
  /** Renders a cluster's data; `namespace` is set when it was found from the workloads. */
  children: (data: T, cluster: string, namespace?: string) => ReactNode;
  /** Renders a cluster's error; the error panel when absent. */
  renderError?: (error: SectionError, cluster: string) => ReactNode;
}) {
  const { results, what, headingLevel = 'h3', children, renderError } = props;
  const showNames = results.length > 1;
  return (
    <>
      {results.map(result => (
        <Box key={`${result.cluster}/${result.namespace ?? ''}`} mb={2}>
          {showNames && (
            <Typography variant="h6" component={headingLevel} gutterBottom>
              Cluster {result.cluster}
              {result.namespace ? `, namespace ${result.namespace}` : ''}
            </Typography>
          )}
          {result.error
            ? renderError?.(result.error, result.cluster) ?? (
                <ResponseErrorPanel
                  error={toError(result.error)}
                  title={`Could not load ${what} from cluster ${
                    result.cluster
                  }${
                    result.namespace ? ` namespace ${result.namespace}` : ''
                  }: ${result.error.message}`}
                />
              )
            : children(result.data, result.cluster, result.namespace)}
        </Box>
      ))}
    </>
  );
}
