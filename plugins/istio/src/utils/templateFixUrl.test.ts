import { templateFixUrl } from './templateFixUrl';

describe('templateFixUrl', () => {
  it('opens the template with its values as JSON form data', () => {
    const url = templateFixUrl({
      kind: 'template',
      templateRef: 'template:default/onboard-namespace',
      values: { namespace: 'shop & co', waypoint: true, replicas: 2 },
    });
    const [path, search] = url.split('?');
    expect(path).toBe('/create/templates/default/onboard-namespace');
    const formData = new URLSearchParams(search).get('formData');
    expect(JSON.parse(formData!)).toEqual({
      namespace: 'shop & co',
      waypoint: true,
      replicas: 2,
    });
  });

  it('defaults the kind and namespace of a short reference', () => {
    expect(
      templateFixUrl(
        { kind: 'template', templateRef: 'mesh-policy', values: {} },
        '/scaffold',
      ),
    ).toBe('/scaffold/templates/default/mesh-policy?formData=%7B%7D');
  });
});
