import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openMeshTab } from './meshTab';

const IMPACTS = ['critical', 'serious', 'moderate', 'minor'] as const;

for (const component of ['orders', 'reports']) {
  test(`the Service Mesh tab of ${component} has no serious or critical axe violation`, async ({
    page,
  }, testInfo) => {
    await openMeshTab(page, component);

    const results = await new AxeBuilder({ page }).analyze();
    await testInfo.attach(`axe-${component}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });

    const counts = IMPACTS.map(
      impact =>
        `${impact} ${
          results.violations.filter(v => v.impact === impact).length
        }`,
    ).join(', ');
    const rules = results.violations.map(v => `${v.id} (${v.impact})`);
    // Printed so that the run's output can be quoted
    // eslint-disable-next-line no-console
    console.log(
      `axe ${component}: ${results.passes.length} rules passed, ${
        results.violations.length
      } violated (${counts})${rules.length ? `: ${rules.join(', ')}` : ''}`,
    );

    const blocking = results.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(
        v =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes
            .map(n => n.target.join(' '))
            .join('; ')}`,
      );
    expect(blocking).toEqual([]);
  });
}
