export { NamespacePicker, describeMeshState } from './NamespacePicker';
export type { NamespacePickerUiOptions } from './NamespacePicker';
