import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Provision ambient mode through the Sail Operator, with Gateway API CRDs and tracing to the OTel collector',
    example: `steps:
  - id: provision
    action: istio:mesh:provision
    name: Provision the ambient mesh
    input:
      gatewayApiVersion: v1.3.0
      istioVersion: v1.27.3
      samplingPercentage: 10
`,
  },
];
