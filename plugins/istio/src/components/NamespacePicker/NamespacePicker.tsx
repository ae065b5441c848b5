import useAsync from 'react-use/esm/useAsync';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Progress } from '@backstage/core-components';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type {
  ManageableNamespace,
  ManageableNamespacesResponse,
} from '@ambient-mesh/plugin-istio-common';
import {
  FormControl,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';

/** `ui:options` of the namespace picker. @public */
export interface NamespacePickerUiOptions {
  /** Only the namespaces of this cluster (default: every configured cluster). */
  cluster?: string;
}

/** The mesh state of a namespace in words, e.g. "ambient, waypoint waypoint, default deny". */
export function describeMeshState(ns: ManageableNamespace): string {
  return [
    ns.ambient ? 'ambient' : 'not in the mesh',
    ns.waypoint ? `waypoint ${ns.waypoint}` : 'no waypoint',
    ns.defaultDeny ? 'default deny' : 'no default deny',
  ].join(', ');
}

const shortRef = (ref: string) => ref.replace(/^group:default\//, '');

/**
 * The templates' namespace picker: a namespace name (free text, so a new
 * namespace can be named) and the namespaces the user may change, each with
 * its mesh state and owner, from `GET /api/istio/v1/namespaces` (the write
 * actions' rules: namespaces claimed by the user's entities; every namespace
 * for platform admins).
 *
 * @public
 */
export const NamespacePicker = (
  props: FieldExtensionComponentProps<string, NamespacePickerUiOptions>,
) => {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    idSchema,
    disabled,
  } = props;
  const discoveryApi = useApi(coreApis.discovery);
  const fetchApi = useApi(coreApis.fetch);
  const cluster = uiSchema?.['ui:options']?.cluster;
  const state = useAsync(async (): Promise<ManageableNamespacesResponse> => {
    const base = await discoveryApi.getBaseUrl('istio');
    const query = cluster ? `?cluster=${encodeURIComponent(cluster)}` : '';
    const response = await fetchApi.fetch(`${base}/v1/namespaces${query}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }, [cluster]);
  const title = schema.title ?? 'Namespace';
  const listId = `${idSchema?.$id ?? 'namespace'}-choices`;

  return (
    <FormControl
      margin="normal"
      required={required}
      error={!!rawErrors?.length}
      fullWidth
    >
      <TextField
        id={idSchema?.$id}
        label={title}
        value={formData ?? ''}
        required={required}
        disabled={disabled}
        error={!!rawErrors?.length}
        helperText={schema.description}
        onChange={e => onChange(e.target.value || undefined)}
        inputProps={{ 'aria-describedby': listId }}
      />
      <Typography variant="subtitle2" id={listId} component="h3">
        {state.value?.admin
          ? 'Namespaces (platform admin: all)'
          : 'Namespaces you may change'}
      </Typography>
      {state.loading && <Progress />}
      {state.error && (
        <Typography color="error" role="alert">
          Could not list your namespaces: {state.error.message}
        </Typography>
      )}
      {state.value && state.value.items.length === 0 && (
        <Typography variant="body2">
          None: no catalog entity of yours claims a namespace. Type a new
          namespace's name.
        </Typography>
      )}
      {state.value && state.value.items.length > 0 && (
        <List dense aria-labelledby={listId}>
          {state.value.items.map(ns => (
            <ListItem
              key={`${ns.cluster}/${ns.namespace}`}
              button
              selected={formData === ns.namespace}
              disabled={disabled}
              onClick={() => onChange(ns.namespace)}
            >
              <ListItemText
                primary={`${ns.namespace}${
                  state.value!.items.some(o => o.cluster !== ns.cluster)
                    ? ` (${ns.cluster})`
                    : ''
                }`}
                secondary={`${describeMeshState(ns)} · owner ${
                  ns.owners.map(shortRef).join(', ') || 'none'
                }`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </FormControl>
  );
};
