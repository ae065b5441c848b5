import { useCallback, useState, type ReactNode } from 'react';
import useInterval from 'react-use/esm/useInterval';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ISTIO_ENTITY_ANNOTATIONS,
  isIstioAvailable,
} from '../../isIstioAvailable';
import { MeshSection } from '../mesh/MeshSection';
import { MetricsSection } from '../metrics/MetricsSection';
import { RefreshContext } from '../shared/RefreshContext';
import { TracesSection } from '../traces/TracesSection';
import { RefreshControls } from './RefreshControls';

/** Props of {@link IstioContent}. @public */
export interface IstioContentProps {
  /** Seconds between two automatic refreshes when auto-refresh is on (default 30). */
  refreshIntervalSeconds?: number;
}

function Section(props: { title: string; id: string; children: ReactNode }) {
  return (
    <Box component="section" aria-labelledby={props.id} mb={4}>
      <Typography variant="h5" component="h2" id={props.id} gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/**
 * The Service Mesh tab of an entity: mesh status, golden signals and traces,
 * per cluster. Each section loads and fails on its own.
 *
 * @public
 */
export function IstioContent(props: IstioContentProps) {
  const { refreshIntervalSeconds = 30 } = props;
  const { entity } = useEntity();
  const [autoRefresh, setAutoRefresh] = useState(false);
  const [refreshToken, setRefreshToken] = useState(0);
  const refresh = useCallback(() => setRefreshToken(t => t + 1), []);
  useInterval(refresh, autoRefresh ? refreshIntervalSeconds * 1000 : null);

  if (!isIstioAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={[...ISTIO_ENTITY_ANNOTATIONS]} />
    );
  }
  return (
    <RefreshContext.Provider value={refreshToken}>
      <Box display="flex" justifyContent="flex-end" alignItems="center">
        <RefreshControls
          autoRefresh={autoRefresh}
          intervalSeconds={refreshIntervalSeconds}
          onAutoRefreshChange={setAutoRefresh}
          onRefresh={refresh}
        />
      </Box>
      <Section title="Mesh status" id="istio-mesh-status">
        <MeshSection />
      </Section>
      <Section title="Golden signals" id="istio-golden-signals">
        <MetricsSection />
      </Section>
      <Section title="Traces" id="istio-traces">
        <TracesSection />
      </Section>
    </RefreshContext.Provider>
  );
}
