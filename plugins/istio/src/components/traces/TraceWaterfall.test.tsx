import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { traceDetailFromTempo } from '@ambient-mesh/plugin-istio-common';
import { istioApiRef } from '../../api';
import { ordersEntity, someTraces } from '../../__testUtils__/fixtures';
import { entityHandlers, server, testClient } from '../../__testUtils__/server';
import { tempoTraceV2 } from '../../__testUtils__/tempoTraceV2';
import { expectNoAxeViolation } from '../../__testUtils__/axe';
import { TracesSection } from './TracesSection';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

// The fixture follows grafana/tempo pkg/tempopb/tempo.proto (v2.8) TraceByIDResponse
describe('trace waterfall from a Tempo /api/v2/traces/{id} answer', () => {
  registerMswTestHooks(server);

  it('opens the spans of a listed trace, nested under their parent, with the error and attributes', async () => {
    const asked: string[] = [];
    server.use(
      ...entityHandlers({
        traces: {
          entityRef: 'component:default/orders',
          clusters: [
            {
              cluster: 'sandbox',
              data: {
                ...someTraces('recent'),
                traces: [
                  { ...someTraces('recent').traces[0], traceId: TRACE_ID },
                ],
              },
            },
          ],
        },
        trace: traceId => {
          asked.push(traceId);
          return {
            entityRef: 'component:default/orders',
            clusters: [
              {
                cluster: 'sandbox',
                data: traceDetailFromTempo(tempoTraceV2, {
                  traceId,
                  cluster: 'sandbox',
                  link: `https://grafana.example.com/explore?trace=${traceId}`,
                })!,
              },
            ],
          };
        },
      }),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[istioApiRef, testClient()]]}>
        <EntityProvider entity={ordersEntity}>
          <TracesSection />
        </EntityProvider>
      </TestApiProvider>,
    );
    await userEvent.click(
      await screen.findByRole('button', {
        // The short id shows; the rest of the id is spoken
        name: /^Show the spans of trace\s*0af76519\s*16cd43dd8448eb211c80319c$/,
      }),
    );
    const waterfall = await screen.findByRole('region', {
      name: `Spans of trace ${TRACE_ID}`,
    });
    expect(asked).toEqual([TRACE_ID]);
    expect(
      within(waterfall).getByRole('heading', {
        name: 'Trace 0af7651916cd43dd: 2 spans, 87 ms',
      }),
    ).toBeInTheDocument();
    const rows = within(waterfall).getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    // Both spans failed with a 503: the level is spoken before the name
    expect(rows[0]).toHaveTextContent(
      /^Error: orders\.microservices\.svc\.cluster\.local: orders\.microservices\.svc\.cluster\.local:8080\/\*87 ms$/,
    );
    expect(rows[1]).toHaveTextContent(/83 ms$/);
    await expectNoAxeViolation(waterfall);
    // The child is indented under its parent
    const indent = (row: HTMLElement) =>
      (row.querySelector('button > span') as HTMLElement).style.paddingLeft;
    expect(indent(rows[0])).toBe('0px');
    expect(indent(rows[1])).toBe('16px');
    expect(
      within(waterfall).getByRole('link', { name: /^Open in Grafana Explore/ }),
    ).toHaveAttribute(
      'href',
      `https://grafana.example.com/explore?trace=${TRACE_ID}`,
    );

    await userEvent.click(within(rows[1]).getByRole('button'));
    expect(
      within(rows[1]).getByText('inbound-pod|8080||10.244.0.12:8080'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('CLIENT')).toBeInTheDocument();
    expect(within(rows[1]).getByText('00f067aa0ba902b7')).toBeInTheDocument();
    expect(within(rows[1]).getByText('+2.0 ms')).toBeInTheDocument();
    // Open, with the attributes of a span, the waterfall is as accessible
    await expectNoAxeViolation(waterfall);
  });
});
