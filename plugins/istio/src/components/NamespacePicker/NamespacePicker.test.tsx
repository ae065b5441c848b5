import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { coreApis } from '@backstage/frontend-plugin-api';
import type { ManageableNamespacesResponse } from '@ambient-mesh/plugin-istio-common';
import { BASE_URL, server } from '../../__testUtils__/server';
import { NamespacePicker } from './NamespacePicker';

// The answer of GET /api/istio/v1/namespaces for a developer of
// team-commerce (istio-backend NamespaceDirectory)
const developer: ManageableNamespacesResponse = {
  admin: false,
  items: [
    {
      cluster: 'sandbox',
      namespace: 'microservices',
      ambient: true,
      waypoint: 'waypoint',
      defaultDeny: true,
      owners: ['group:default/team-commerce'],
      entities: ['component:default/orders'],
    },
    {
      cluster: 'sandbox',
      namespace: 'reporting',
      ambient: false,
      defaultDeny: false,
      owners: ['group:default/team-commerce'],
      entities: ['component:default/reports'],
    },
  ],
};

function renderPicker(formData?: string, uiOptions: object = {}) {
  const changes: Array<string | undefined> = [];
  const props = {
    formData,
    onChange: (value?: string) => changes.push(value),
    schema: { title: 'Namespace', description: 'The namespace to enroll' },
    uiSchema: { 'ui:options': uiOptions },
    rawErrors: [],
    required: true,
    idSchema: { $id: 'root_namespace' },
  } as any;
  return {
    changes,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [
            coreApis.discovery,
            mockApis.discovery({ baseUrl: 'http://backend.test' }),
          ],
          [coreApis.fetch, new MockFetchApi()],
        ]}
      >
        <NamespacePicker {...props} />
      </TestApiProvider>,
    ),
  };
}

describe('NamespacePicker', () => {
  registerMswTestHooks(server);

  it("lists the user's namespaces with their mesh state and owner, and picks one", async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${BASE_URL}/v1/namespaces`, ({ request }) => {
        asked.push(request.url);
        return HttpResponse.json(developer);
      }),
    );
    const { changes, rendered } = renderPicker(undefined, {
      cluster: 'sandbox',
    });
    await rendered;
    expect(
      await screen.findByText(
        'ambient, waypoint waypoint, default deny · owner team-commerce',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'not in the mesh, no waypoint, no default deny · owner team-commerce',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Namespaces you may change')).toBeInTheDocument();
    expect(asked).toEqual([`${BASE_URL}/v1/namespaces?cluster=sandbox`]);

    await userEvent.click(screen.getByRole('button', { name: /^reporting/ }));
    expect(changes).toEqual(['reporting']);
    // A new namespace can be typed
    await userEvent.type(
      screen.getByRole('textbox', { name: /Namespace/ }),
      'b',
    );
    expect(changes).toEqual(['reporting', 'b']);
  });

  it('says when the user may change no namespace', async () => {
    server.use(
      http.get(`${BASE_URL}/v1/namespaces`, () =>
        HttpResponse.json({ admin: false, items: [] }),
      ),
    );
    await renderPicker().rendered;
    expect(
      await screen.findByText(
        /None: no catalog entity of yours claims a namespace/,
      ),
    ).toBeInTheDocument();
  });

  it("shows the backend's refusal", async () => {
    server.use(
      http.get(`${BASE_URL}/v1/namespaces`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: "This endpoint does not allow 'service' credentials",
            },
          },
          { status: 403 },
        ),
      ),
    );
    await renderPicker().rendered;
    expect(
      await screen.findByText(/Could not list your namespaces: .*403/),
    ).toBeInTheDocument();
  });
});
