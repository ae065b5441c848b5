import { createContext, useContext } from 'react';

/**
 * A number that changes each time the tab refreshes (button or auto-refresh);
 * sections reload when it changes.
 */
export const RefreshContext = createContext(0);

/** The current refresh token, to put in a request's dependencies. */
export function useRefreshToken(): number {
  return useContext(RefreshContext);
}
