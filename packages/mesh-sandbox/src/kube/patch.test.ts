import { jsonPatch, mergePatch } from './patch';

describe('mergePatch', () => {
  it('merges maps, replaces lists and deletes nulls', () => {
    expect(
      mergePatch(
        { a: { b: 1, c: 2 }, list: [1, 2], keep: true },
        { a: { c: null, d: 3 }, list: [3] },
      ),
    ).toEqual({ a: { b: 1, d: 3 }, list: [3], keep: true });
  });
});

describe('jsonPatch', () => {
  const doc = { metadata: { labels: { a: '1' } }, list: ['x', 'y'] };

  it('applies add, replace, remove, move, copy and test', () => {
    expect(
      jsonPatch(doc, [
        { op: 'test', path: '/metadata/labels/a', value: '1' },
        { op: 'add', path: '/metadata/labels/b~1c', value: '2' },
        { op: 'replace', path: '/metadata/labels/a', value: '3' },
        { op: 'add', path: '/list/-', value: 'z' },
        { op: 'remove', path: '/list/0' },
        { op: 'copy', from: '/list/0', path: '/first' },
        { op: 'move', from: '/first', path: '/moved' },
      ]),
    ).toEqual({
      metadata: { labels: { a: '3', 'b/c': '2' } },
      list: ['y', 'z'],
      moved: 'y',
    });
    expect(doc.list).toEqual(['x', 'y']);
  });

  it('fails on a failed test or a missing path', () => {
    expect(() =>
      jsonPatch(doc, [{ op: 'test', path: '/list/0', value: 'nope' }]),
    ).toThrow(/test failed/);
    expect(() =>
      jsonPatch(doc, [{ op: 'replace', path: '/missing', value: 1 }]),
    ).toThrow(/does not exist/);
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow(/array of operations/);
  });
});
