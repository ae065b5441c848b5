import { IncomingMessage } from 'node:http';

/** The fixed development tokens of the sandbox's two users. */
export const SANDBOX_TOKENS = {
  /** May do everything. */
  admin: 'mesh-sandbox-admin-token',
  /** May get, list and watch; every write is 403 Forbidden. */
  readonly: 'mesh-sandbox-readonly-token',
} as const;

/** An authenticated user of the API server. */
export interface SandboxUser {
  name: 'sandbox-admin' | 'sandbox-readonly';
  readOnly: boolean;
}

/** The user a request's bearer token belongs to, or undefined. */
export function authenticate(req: IncomingMessage): SandboxUser | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return undefined;
  const token = match[1].trim();
  if (token === SANDBOX_TOKENS.admin) {
    return { name: 'sandbox-admin', readOnly: false };
  }
  if (token === SANDBOX_TOKENS.readonly) {
    return { name: 'sandbox-readonly', readOnly: true };
  }
  return undefined;
}
