import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Provision ambient mode through the Sail Operator, with Gateway API CRDs and tracing to the OTel collector (Istio 1.28.6+ reads the v1.5 TLSRoute; istio/istio#59443)',
    example: `steps:
  - id: provision
    action: istio:mesh:provision
    name: Provision the ambient mesh
    input:
      gatewayApiVersion: v1.5.0
      istioVersion: v1.28.7
      samplingPercentage: 10
`,
  },
];
