import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Remove what onboarding applied in a namespace, keeping what others made',
    example: `steps:
  - id: offboard
    action: istio:namespace:offboard
    name: Leave the mesh
    input:
      namespace: reporting
`,
  },
];
