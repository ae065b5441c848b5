import axe from 'axe-core';

/**
 * Rules that cannot give a true answer in jsdom, which has no layout engine
 * and paints nothing: color-contrast and link-in-text-block compare the
 * painted colours of text, links and background. They run in Chromium in the
 * e2e tests (packages/app/e2e-tests/meshVisuals.test.ts). Every other rule
 * axe-core enables by default runs here.
 */
const NEEDS_A_BROWSER = ['color-contrast', 'link-in-text-block'];

/** One violation, readable in a failed expectation. */
function describeViolation(violation: axe.Result): string {
  return `${violation.id} (${violation.impact}): ${
    violation.help
  } at ${violation.nodes.map(n => n.target.join(' ')).join('; ')}`;
}

/** The rules that broke while running (axe files them under `incomplete`). */
function brokenRules(results: axe.AxeResults): string[] {
  return results.incomplete.flatMap(result =>
    result.nodes.flatMap(node =>
      [...node.any, ...node.all, ...node.none]
        .filter(check => check.id === 'error-occurred')
        .map(
          check =>
            `${result.id} could not run: ${
              (check.data as { message?: string } | undefined)?.message ??
              check.message
            }`,
        ),
    ),
  );
}

/**
 * Runs axe-core on a rendered container and returns its violations, one line
 * each, with the rules AxeBuilder runs in the e2e tests, less NEEDS_A_BROWSER.
 * A rule that breaks counts as a violation, so that none is skipped silently.
 */
export async function axeViolations(container: Element): Promise<string[]> {
  const document = container.ownerDocument;
  // jsdom has no hit testing; axe asks it (e.g. whether a modal is open)
  // before it checks focusable content under aria-hidden. Nothing is on top
  // of anything here.
  const hitTesting = document.elementFromPoint;
  if (!hitTesting) {
    document.elementFromPoint = () => null;
  }
  try {
    const results = await axe.run(container, {
      rules: Object.fromEntries(
        NEEDS_A_BROWSER.map(id => [id, { enabled: false }]),
      ),
    });
    return [
      ...results.violations.map(describeViolation),
      ...brokenRules(results),
    ];
  } finally {
    if (!hitTesting) {
      delete (document as { elementFromPoint?: unknown }).elementFromPoint;
    }
  }
}

/** Expects axe-core to find no violation at all in the container. */
export async function expectNoAxeViolation(container: Element) {
  expect(await axeViolations(container)).toEqual([]);
}
