import type { ComponentProps } from 'react';
import { EmptyState as CoreEmptyState } from '@backstage/core-components';
import { ThemeProvider, type Theme } from '@material-ui/core/styles';

/**
 * core-components' EmptyState titles itself with an h5 element; under the
 * tab's h2 section headings that skips two levels. Inside it, the h5
 * variant renders as an h3 element, so the title is the next heading level
 * (and keeps its look).
 */
function titleAsLevel3(outer: Theme): Theme {
  return {
    ...outer,
    props: {
      ...outer.props,
      MuiTypography: {
        ...outer.props?.MuiTypography,
        variantMapping: {
          ...outer.props?.MuiTypography?.variantMapping,
          h5: 'h3',
        },
      },
    },
  };
}

/** core-components' EmptyState, its title a level-3 heading of the section. */
export function EmptyState(props: ComponentProps<typeof CoreEmptyState>) {
  return (
    <ThemeProvider theme={titleAsLevel3}>
      <CoreEmptyState {...props} />
    </ThemeProvider>
  );
}
