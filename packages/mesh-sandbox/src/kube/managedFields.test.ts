import {
  fromFieldsV1,
  recordUpdate,
  serverSideApply,
  toFieldsV1,
  fieldsOf,
} from './managedFields';
import { KubeObject } from './types';

const base = (spec: object, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'n', ...(labels ? { labels } : {}) },
  ...spec,
});

describe('managed fields', () => {
  it('round-trips field sets through FieldsV1', () => {
    const fields = fieldsOf(
      base({ data: { a: '1', b: '2' } }, { x: 'y' }),
      true,
    );
    expect(toFieldsV1(fields)).toEqual({
      'f:data': { 'f:a': {}, 'f:b': {} },
      'f:metadata': { 'f:labels': { 'f:x': {} } },
    });
    expect(fromFieldsV1(toFieldsV1(fields))).toEqual(fields);
  });

  it('shares fields applied with the same value and conflicts on different ones', () => {
    const first = serverSideApply({
      current: undefined,
      applied: base({ data: { a: '1' } }),
      manager: 'one',
      force: false,
      skipStatus: true,
    });
    if (!first.ok) throw new Error('unexpected conflict');
    const same = serverSideApply({
      current: first.object,
      applied: base({ data: { a: '1' } }),
      manager: 'two',
      force: false,
      skipStatus: true,
    });
    expect(same.ok).toBe(true);
    const different = serverSideApply({
      current: first.object,
      applied: base({ data: { a: '2' } }),
      manager: 'two',
      force: false,
      skipStatus: true,
    });
    expect(different).toEqual({
      ok: false,
      conflicts: [{ manager: 'one', field: 'data\u0000a' }],
    });
    const forced = serverSideApply({
      current: first.object,
      applied: base({ data: { a: '2' } }),
      manager: 'two',
      force: true,
      skipStatus: true,
    });
    if (!forced.ok) throw new Error('force must win');
    expect(forced.object.data).toEqual({ a: '2' });
    expect(forced.object.metadata.managedFields?.map(m => m.manager)).toEqual([
      'two',
    ]);
  });

  it('lets an update take fields without conflicts', () => {
    const applied = serverSideApply({
      current: undefined,
      applied: base({ data: { a: '1', b: '1' } }),
      manager: 'apply',
      force: false,
      skipStatus: true,
    });
    if (!applied.ok) throw new Error('unexpected conflict');
    const updated = recordUpdate({
      before: applied.object,
      after: { ...applied.object, data: { a: '2', b: '1' } },
      manager: 'kubectl',
      skipStatus: true,
    });
    const owners = Object.fromEntries(
      updated.metadata.managedFields!.map(m => [m.manager, m.fieldsV1]),
    );
    expect(owners).toEqual({
      apply: { 'f:data': { 'f:b': {} } },
      kubectl: { 'f:data': { 'f:a': {} } },
    });
  });
});
