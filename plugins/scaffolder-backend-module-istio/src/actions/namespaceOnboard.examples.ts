import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description: 'Enroll a namespace in ambient mode (L4 mTLS by ztunnel)',
    example: `steps:
  - id: onboard
    action: istio:namespace:onboard
    name: Enroll the namespace
    input:
      namespace: reporting
      defaultPolicies: false
`,
  },
  {
    description:
      'Enroll a namespace with a waypoint, zero-trust defaults and tracing',
    example: `steps:
  - id: onboard
    action: istio:namespace:onboard
    name: Enroll with a waypoint
    input:
      namespace: reporting
      waypoint: true
      waypointFor: service
      defaultPolicies: true
      allowNamespaces: [reporting, microservices]
      tracingSamplingPercentage: 10
`,
  },
  {
    description: 'Require a valid JWT on every request through the waypoint',
    example: `steps:
  - id: onboard
    action: istio:namespace:onboard
    name: Enroll with JWT
    input:
      namespace: reporting
      waypoint: true
      jwtIssuer: https://idp.example.com
      jwksUri: https://idp.example.com/.well-known/jwks.json
      requireJwt: true
`,
  },
];
