import type { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { errorReason } from '../../utils/sectionError';
import { Skeleton } from './Skeleton';

/** The state of one section's request, as returned by react-use's `useAsync`. */
export interface AsyncState<T> {
  loading: boolean;
  error?: Error;
  value?: T;
}

/**
 * Renders a section's request: a progress bar until the first answer, the
 * error panel when the request failed, else its content. Data already shown
 * stays on screen while a refresh is in flight.
 */
export function AsyncSection<T>(props: {
  state: AsyncState<T>;
  title: string;
  /** Height of the placeholder shown while loading, to avoid a layout jump. */
  skeletonHeight?: number;
  children: (value: T) => ReactNode;
}) {
  const { state, title, children, skeletonHeight } = props;
  if (state.error) {
    return (
      <ResponseErrorPanel
        error={state.error}
        title={`Could not load ${title}: ${errorReason(state.error)}`}
      />
    );
  }
  if (state.value === undefined) {
    return (
      <>
        <Progress aria-label={`Loading ${title}`} />
        {skeletonHeight ? <Skeleton height={skeletonHeight} lines={3} /> : null}
      </>
    );
  }
  return <>{children(state.value)}</>;
}
