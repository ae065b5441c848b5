import { badRequest, KubeApiError } from './errors';
import { isPlainObject, KubeObject } from './types';

/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies, which
 * client-go's generated clientsets (and so kubectl's `create namespace`,
 * `create configmap`, `create secret`, `create serviceaccount`) always send
 * for built-in kinds: client-go `rest/client.go` notes that "all generated
 * clients accessing built-in kube resources are forced to protobuf, so those
 * will not degrade to JSON" (its HTTP 415 fallback exists for CBOR only), so
 * a server must understand protobuf for them, as kube-apiserver does.
 *
 * The envelope (apimachinery `pkg/runtime/serializer/protobuf/protobuf.go`):
 * the 4 magic bytes `k8s\0`, then a `runtime.Unknown` message
 * (`pkg/runtime/generated.proto`: typeMeta = 1 {apiVersion = 1, kind = 2},
 * raw = 2, contentEncoding = 3, contentType = 4) whose `raw` holds the object
 * encoded with the field numbers of k8s.io/api `core/v1/generated.proto` and
 * apimachinery `pkg/apis/meta/v1/generated.proto`. Go decodes into structs
 * whose JSON tags are `omitempty`, so empty values vanish from the JSON form.
 */

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Content type of the Kubernetes protobuf encoding. */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

type FieldType =
  | 'string'
  | 'bytes'
  | 'int64'
  | 'int32'
  | 'bool'
  | 'time'
  | 'message'
  | 'map<string,string>'
  | 'map<string,bytes>'
  | 'raw-json';

interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
  message?: Message;
}

type Message = Record<number, Field>;

const TIME: Message = {
  1: { name: 'seconds', type: 'int64' },
  2: { name: 'nanos', type: 'int32' },
};

const OWNER_REFERENCE: Message = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

/** FieldsV1 { optional bytes Raw = 1 } holds JSON. */
const FIELDS_V1: Message = { 1: { name: 'raw', type: 'raw-json' } };

const MANAGED_FIELDS_ENTRY: Message = {
  1: { name: 'manager', type: 'string' },
  2: { name: 'operation', type: 'string' },
  3: { name: 'apiVersion', type: 'string' },
  4: { name: 'time', type: 'time' },
  6: { name: 'fieldsType', type: 'string' },
  7: { name: 'fieldsV1', type: 'message', message: FIELDS_V1 },
  8: { name: 'subresource', type: 'string' },
};

const OBJECT_META: Message = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  4: { name: 'selfLink', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64' },
  11: { name: 'labels', type: 'map<string,string>' },
  12: { name: 'annotations', type: 'map<string,string>' },
  13: {
    name: 'ownerReferences',
    type: 'message',
    repeated: true,
    message: OWNER_REFERENCE,
  },
  14: { name: 'finalizers', type: 'string', repeated: true },
  17: {
    name: 'managedFields',
    type: 'message',
    repeated: true,
    message: MANAGED_FIELDS_ENTRY,
  },
};

const OBJECT_REFERENCE: Message = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'namespace', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'fieldPath', type: 'string' },
};

const metadata: Field = {
  name: 'metadata',
  type: 'message',
  message: OBJECT_META,
};

/** The built-in kinds whose protobuf form the sandbox decodes, by `apiVersion/kind`. */
const KINDS: Record<string, Message> = {
  'v1/Namespace': {
    1: metadata,
    2: {
      name: 'spec',
      type: 'message',
      message: { 1: { name: 'finalizers', type: 'string', repeated: true } },
    },
    3: {
      name: 'status',
      type: 'message',
      message: { 1: { name: 'phase', type: 'string' } },
    },
  },
  'v1/ConfigMap': {
    1: metadata,
    2: { name: 'data', type: 'map<string,string>' },
    3: { name: 'binaryData', type: 'map<string,bytes>' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: metadata,
    2: { name: 'data', type: 'map<string,bytes>' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'map<string,string>' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: metadata,
    2: {
      name: 'secrets',
      type: 'message',
      repeated: true,
      message: OBJECT_REFERENCE,
    },
    3: {
      name: 'imagePullSecrets',
      type: 'message',
      repeated: true,
      message: { 1: { name: 'name', type: 'string' } },
    },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
};

/** The kinds this decoder knows, as `apiVersion/kind`. */
export const PROTOBUF_KINDS = Object.keys(KINDS);

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number) {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        return;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

function signed64(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}

function decodeMapEntry(
  raw: Buffer,
  valueType: 'string' | 'bytes',
): [string, string] {
  const reader = new Reader(raw);
  let key = '';
  let value = '';
  while (!reader.done()) {
    const tag = Number(reader.varint());
    const field = tag >> 3;
    if ((tag & 7) !== 2) {
      reader.skip(tag & 7);
      continue;
    }
    const bytes = reader.bytes();
    if (field === 1) key = bytes.toString('utf8');
    else if (field === 2)
      value =
        valueType === 'string'
          ? bytes.toString('utf8')
          : bytes.toString('base64');
  }
  return [key, value];
}

function timeToJson(raw: Buffer): string | undefined {
  const time = decodeMessage(raw, TIME);
  const seconds = Number(time.seconds ?? 0);
  if (!seconds && !time.nanos) return undefined; // the zero Time is null in JSON
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeMessage(buf: Buffer, message: Message): Record<string, any> {
  const reader = new Reader(buf);
  const out: Record<string, any> = {};
  while (!reader.done()) {
    const tag = Number(reader.varint());
    const number = tag >> 3;
    const wireType = tag & 7;
    const field = message[number];
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    let value: unknown;
    switch (field.type) {
      case 'string':
        value = reader.bytes().toString('utf8');
        break;
      case 'bytes':
        value = reader.bytes().toString('base64');
        break;
      case 'int64':
      case 'int32':
        value = signed64(reader.varint());
        break;
      case 'bool':
        value = reader.varint() !== 0n;
        break;
      case 'time':
        value = timeToJson(reader.bytes());
        break;
      case 'raw-json':
        value = JSON.parse(reader.bytes().toString('utf8'));
        break;
      case 'message':
        value = decodeMessage(reader.bytes(), field.message!);
        break;
      case 'map<string,string>':
      case 'map<string,bytes>': {
        const [k, v] = decodeMapEntry(
          reader.bytes(),
          field.type === 'map<string,string>' ? 'string' : 'bytes',
        );
        out[field.name] = { ...(out[field.name] ?? {}), [k]: v };
        continue;
      }
      default:
        reader.skip(wireType);
        continue;
    }
    if (field.repeated) {
      out[field.name] = [...(out[field.name] ?? []), value];
    } else {
      out[field.name] = value;
    }
  }
  return omitEmpty(out);
}

/** Drops what Go's `json:",omitempty"` drops: "", 0, false, nil, empty maps and lists. */
function omitEmpty(object: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === '' || value === 0 || value === false)
      continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (
      isPlainObject(value) &&
      Object.keys(value).length === 0 &&
      key !== 'spec' &&
      key !== 'status' &&
      key !== 'fieldsV1' &&
      key !== 'raw'
    )
      continue;
    out[key] = value;
  }
  if (isPlainObject(out.raw) && Object.keys(out).length === 1) return out.raw;
  return out;
}

/**
 * Decodes a Kubernetes protobuf body into the object's JSON form. Throws
 * 415 (as kube-apiserver does for a media type a resource cannot decode,
 * apiserver `pkg/endpoints/handlers/negotiation`) for kinds it has no
 * schema for, and 400 for a malformed body.
 */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw badRequest(
      'provided object is not a protobuf message: missing the k8s\\0 prefix',
    );
  }
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  try {
    const reader = new Reader(body.subarray(4));
    while (!reader.done()) {
      const tag = Number(reader.varint());
      const number = tag >> 3;
      if ((tag & 7) !== 2) {
        reader.skip(tag & 7);
        continue;
      }
      const bytes = reader.bytes();
      if (number === 1) {
        const typeMeta = decodeMessage(bytes, {
          1: { name: 'apiVersion', type: 'string' },
          2: { name: 'kind', type: 'string' },
        });
        apiVersion = typeMeta.apiVersion ?? '';
        kind = typeMeta.kind ?? '';
      } else if (number === 2) {
        raw = bytes;
      }
    }
  } catch (error) {
    throw badRequest(`invalid protobuf body: ${(error as Error).message}`);
  }
  const message = KINDS[`${apiVersion}/${kind}`];
  if (!message) {
    throw new KubeApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (the sandbox decodes protobuf only for ${PROTOBUF_KINDS.join(
        ', ',
      )}; got ${apiVersion}/${kind})`,
    );
  }
  let decoded: Record<string, any>;
  try {
    decoded = decodeMessage(raw ?? Buffer.alloc(0), message);
  } catch (error) {
    throw badRequest(`invalid protobuf body: ${(error as Error).message}`);
  }
  return { apiVersion, kind, metadata: { name: '' }, ...decoded } as KubeObject;
}
