import type { ReactNode } from 'react';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';

/** How good a fact is: drives the colour and icon of {@link StatusLabel}. */
export type StatusLevel = 'ok' | 'warning' | 'error' | 'neutral';

/** A status icon followed by its text. */
export function StatusLabel(props: {
  level: StatusLevel;
  children: ReactNode;
}) {
  const { level, children } = props;
  switch (level) {
    case 'ok':
      return <StatusOK>{children}</StatusOK>;
    case 'warning':
      return <StatusWarning>{children}</StatusWarning>;
    case 'error':
      return <StatusError>{children}</StatusError>;
    default:
      return <StatusPending>{children}</StatusPending>;
  }
}
