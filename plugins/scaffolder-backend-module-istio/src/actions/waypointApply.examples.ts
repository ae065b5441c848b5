import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description: 'A waypoint for every service of a namespace',
    example: `steps:
  - id: waypoint
    action: istio:waypoint:apply
    name: Namespace waypoint
    input:
      namespace: reporting
      enrollNamespace: true
`,
  },
  {
    description: 'A waypoint used by one Service only',
    example: `steps:
  - id: waypoint
    action: istio:waypoint:apply
    name: Service waypoint
    input:
      namespace: reporting
      name: reports-waypoint
      for: service
      service: reports
`,
  },
];
