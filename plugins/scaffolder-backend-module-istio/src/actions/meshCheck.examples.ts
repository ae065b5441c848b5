import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description: 'Report whether the cluster is ready for ambient mode',
    example: `steps:
  - id: check
    action: istio:mesh:check
    name: Check the mesh
    input: {}
`,
  },
  {
    description: 'Fail the task when a prerequisite is missing',
    example: `steps:
  - id: check
    action: istio:mesh:check
    name: Check the mesh
    input:
      failOnError: true
`,
  },
];
