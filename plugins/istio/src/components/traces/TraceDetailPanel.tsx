import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { istioApiRef } from '../../api';
import { AsyncSection } from '../shared/AsyncSection';
import { ClusterResults } from '../shared/ClusterResults';
import { useEntityRef } from '../shared/useEntityRef';
import { TraceWaterfall } from './TraceWaterfall';

/** Loads one trace's spans through the backend and shows them as a waterfall. */
export default function TraceDetailPanel(props: {
  traceId: string;
  cluster: string;
  onClose: () => void;
}) {
  const { traceId, cluster, onClose } = props;
  const api = useApi(istioApiRef);
  const entityRef = useEntityRef();
  const state = useAsync(async () => {
    if (!api.getTrace) return { entityRef: '', clusters: [] };
    const response = await api.getTrace(entityRef, traceId);
    return {
      ...response,
      clusters: response.clusters.filter(c => c.cluster === cluster),
    };
  }, [api, entityRef, traceId, cluster]);
  return (
    <AsyncSection state={state} title={`trace ${traceId}`} skeletonHeight={160}>
      {response => (
        <ClusterResults
          results={response.clusters}
          what={`trace ${traceId}`}
          headingLevel="h4"
        >
          {trace => <TraceWaterfall trace={trace} onClose={onClose} />}
        </ClusterResults>
      )}
    </AsyncSection>
  );
}
