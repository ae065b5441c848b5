import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Allow callers from another namespace (L4, enforced by ztunnel)',
    example: `steps:
  - id: policy
    action: istio:policy:apply
    name: Allow the frontend
    input:
      namespace: reporting
      name: allow-frontend
      action: ALLOW
      rules:
        - fromNamespaces: [frontend]
`,
  },
  {
    description:
      'Allow GET on /api/* from one service account, with JWT validation at the waypoint',
    example: `steps:
  - id: policy
    action: istio:policy:apply
    name: L7 rules at the waypoint
    input:
      namespace: reporting
      name: allow-reads
      action: ALLOW
      waypoint: waypoint
      rules:
        - fromServiceAccounts: [frontend/web]
          methods: [GET]
          paths: [/api/*]
          requestPrincipals: ['*']
      jwtIssuer: https://idp.example.com
      jwksUri: https://idp.example.com/.well-known/jwks.json
`,
  },
];
