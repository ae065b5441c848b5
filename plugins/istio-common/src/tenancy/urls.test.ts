import { isInternalHost, jwksUriProblem, redactUrl } from './urls';

describe('jwksUri checks', () => {
  it.each([
    'https://issuer.example.com/.well-known/jwks.json',
    'https://8.8.8.8/keys',
    'https://[2001:db8::1]/keys',
  ])('accepts %s', uri => {
    expect(jwksUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ['http://issuer.example.com/jwks', /https/],
    ['https://user:pw@issuer.example.com/jwks', /user name or password/],
    ['https://127.0.0.1/jwks', /loopback/],
    ['https://2130706433/jwks', /loopback/], // WHATWG URL parses it as 127.0.0.1
    ['https://0x7f.1/jwks', /loopback/],
    ['https://localhost:8443/jwks', /loopback/],
    ['https://169.254.169.254/latest', /link-local/],
    ['https://10.1.2.3/jwks', /private/],
    ['https://172.20.0.1/jwks', /private/],
    ['https://192.168.1.1/jwks', /private/],
    ['https://[::1]/jwks', /loopback/],
    ['https://[fe80::1]/jwks', /link-local/],
    ['https://[fd00::1]/jwks', /private/],
    ['https://[::ffff:127.0.0.1]/jwks', /loopback/],
    ['not a url', /not a URL/],
  ])('refuses %s', (uri, problem) => {
    expect(jwksUriProblem(uri)).toMatch(problem);
  });

  it('accepts internal issuers when config allows them', () => {
    expect(
      jwksUriProblem('https://keycloak.auth.svc:8443/jwks', {
        allowPrivateAddresses: true,
      }),
    ).toBeUndefined();
    expect(
      jwksUriProblem('https://10.0.0.5/jwks', { allowPrivateAddresses: true }),
    ).toBeUndefined();
  });

  it('treats cluster-internal names as names (not resolved)', () => {
    expect(isInternalHost('keycloak.auth.svc')).toBe(false);
    expect(isInternalHost('metadata.google.internal')).toBe(true);
  });

  it('redacts credentials, query and fragment from URLs in messages', () => {
    expect(redactUrl('https://u:p@h.example.com/a?token=x#f')).toBe(
      'https://h.example.com/a',
    );
  });
});
