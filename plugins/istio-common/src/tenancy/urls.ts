/**
 * A URL as it may appear in messages and logs: no user name, password,
 * query or fragment (they may carry credentials or tokens).
 *
 * @public
 */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

function ipv4Parts(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p))) {
    return undefined;
  }
  const numbers = parts.map(Number);
  return numbers.every(n => n <= 255) ? numbers : undefined;
}

function isInternalIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // shared address space (CGNAT)
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224 // multicast and reserved
  );
}

function isInternalIpv6(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (address === '::' || address === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) {
    const parts = ipv4Parts(mapped[1]);
    return !parts || isInternalIpv4(parts);
  }
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(address)) return true;
  const first = parseInt(address.split(':')[0] || '0', 16);
  return (
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xff00) === 0xff00 // multicast
  );
}

/**
 * True when a URL's host is a loopback, link-local, private or otherwise
 * internal address (or a name that always means one, like localhost).
 * Works on the host as written; names are not resolved.
 *
 * @public
 */
export function isInternalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === 'metadata.google.internal'
  ) {
    return true;
  }
  if (host.startsWith('[') || host.includes(':')) return isInternalIpv6(host);
  const v4 = ipv4Parts(host);
  return v4 ? isInternalIpv4(v4) : false;
}

/**
 * Checks a JSON Web Key Set URL that istiod will fetch: https, no
 * credentials in it, and (unless allowed) not an internal address.
 * Returns the problem, or undefined when the URL is acceptable. Pure.
 *
 * @public
 */
export function jwksUriProblem(
  value: string,
  options: { allowPrivateAddresses?: boolean } = {},
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL; use e.g. https://issuer.example.com/.well-known/jwks.json';
  }
  if (url.protocol !== 'https:') {
    return 'must use https (istiod fetches the keys from it)';
  }
  if (url.username || url.password) {
    return 'must not contain a user name or password';
  }
  if (!options.allowPrivateAddresses && isInternalHost(url.hostname)) {
    return "points to a loopback, link-local or private address, which istiod must not be sent to; use the issuer's public URL (a platform admin can allow internal issuers with istio.onboarding.jwks.allowPrivateAddresses)";
  }
  return undefined;
}
