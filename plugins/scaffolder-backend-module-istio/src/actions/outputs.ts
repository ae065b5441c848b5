import { ZodImpl } from './inputs';

/** Output fields shared by the actions that change the mesh. */
export const changeOutputs = {
  mode: (zImpl: ZodImpl) =>
    zImpl.enum(['apply', 'gitops']).describe('The mode the action ran in'),
  files: (zImpl: ZodImpl) =>
    zImpl
      .array(zImpl.string())
      .optional()
      .describe(
        'GitOps mode: the files written to the workspace, one object each',
      ),
  removedFiles: (zImpl: ZodImpl) =>
    zImpl
      .array(zImpl.string())
      .optional()
      .describe('GitOps mode: files of deleted objects, removed'),
  notes: (zImpl: ZodImpl) =>
    zImpl
      .array(zImpl.string())
      .optional()
      .describe(
        'GitOps mode: what happens after sync that no file says (waits)',
      ),
  objects: (zImpl: ZodImpl) =>
    zImpl
      .array(
        zImpl.object({
          kind: zImpl.string(),
          name: zImpl.string(),
          namespace: zImpl.string(),
          result: zImpl.enum([
            'created',
            'updated',
            'deleted',
            'released',
            'unchanged',
          ]),
          planned: zImpl.boolean(),
        }),
      )
      .describe(
        'Every object the action looked at and what happened to it (planned: true in a dry run)',
      ),
  summary: (zImpl: ZodImpl) =>
    zImpl
      .string()
      .describe(
        'One line, e.g. "3 created" or "unchanged: 5 object(s) already as requested"',
      ),
  plan: (zImpl: ZodImpl) =>
    zImpl
      .object({
        cluster: zImpl.string(),
        steps: zImpl.array(
          zImpl.object({
            key: zImpl.string(),
            operation: zImpl.string(),
            reason: zImpl.string(),
          }),
        ),
        unchanged: zImpl.array(zImpl.string()),
        preconditions: zImpl.array(zImpl.string()),
        warnings: zImpl.array(zImpl.string()),
      })
      .describe(
        'The plan: ordered steps with reasons, unchanged objects, preconditions, warnings',
      ),
};
