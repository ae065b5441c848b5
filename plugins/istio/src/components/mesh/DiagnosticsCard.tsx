import { InfoCard } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { DiagnosticsList } from './DiagnosticsList';

/** What is wrong with the entity's mesh set-up, most severe first, with fixes. */
export function DiagnosticsCard(props: { diagnostics: Diagnostic[] }) {
  const count = props.diagnostics.length;
  return (
    <InfoCard
      titleTypographyProps={CARD_TITLE_PROPS}
      title="Diagnostics"
      subheader={count > 0 ? `${count} found, most severe first` : undefined}
    >
      <DiagnosticsList diagnostics={props.diagnostics} />
    </InfoCard>
  );
}
