import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  enrolledStatus,
  l7Metrics,
  notEnrolledStatus,
} from '../../__testUtils__/fixtures';
import { summaryFacts, SummaryStrip } from './SummaryStrip';

describe('SummaryStrip', () => {
  it('sums up enrollment, waypoint, mTLS, default deny, health and diagnostics by severity', async () => {
    await renderInTestApp(
      <SummaryStrip status={notEnrolledStatus()} metrics={l7Metrics()} />,
    );
    const nav = screen.getByRole('navigation', { name: 'Mesh summary' });
    const links = within(nav)
      .getAllByRole('link')
      .map(l => l.textContent);
    expect(links).toEqual([
      'Warning: Enrollment: 0/1 pods captured',
      'Info: Waypoint: none (L4 only)',
      'Error: mTLS: None',
      'Warning: Default deny: off',
      'Warning: Health: Degraded',
      'Error: Diagnostics: 1 error, 1 warning',
    ]);
    expect(
      within(nav).getByRole('link', { name: /Default deny/ }),
    ).toHaveAttribute('href', '#istio-policies');
  });

  it('says so when the metrics answered without data, instead of loading forever', () => {
    const health = (done: boolean) =>
      summaryFacts(enrolledStatus(), undefined, done).find(
        f => f.key === 'signals',
      )!.value;
    expect(health(false)).toBe('loading');
    expect(health(true)).toBe('no metrics');
    const enrollment = summaryFacts(enrolledStatus()).find(
      f => f.key === 'enrollment',
    )!;
    expect(enrollment).toMatchObject({
      value: '2/2 pods captured',
      level: 'ok',
    });
  });
});
