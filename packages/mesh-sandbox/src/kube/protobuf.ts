import { badRequest, KubeApiError } from './errors';
import { PROTO_MESSAGES } from './protobufFields';
import { KubeObject } from './types';

/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies, which
 * client-go's generated clientsets (and so kubectl's `create namespace`,
 * `create configmap|secret|serviceaccount|deployment|service`) always send
 * for built-in kinds: client-go `rest/client.go` notes that "all generated
 * clients accessing built-in kube resources are forced to protobuf, so those
 * will not degrade to JSON" (its HTTP 415 fallback exists for CBOR only), so
 * a server must understand protobuf for them, as kube-apiserver does.
 *
 * The envelope (apimachinery `pkg/runtime/serializer/protobuf/protobuf.go`):
 * the 4 magic bytes `k8s\0`, then a `runtime.Unknown` message
 * (`pkg/runtime/generated.proto`: typeMeta = 1 {apiVersion = 1, kind = 2},
 * raw = 2, contentEncoding = 3, contentType = 4) whose `raw` holds the object
 * encoded with the field numbers of its `generated.proto` (see
 * protobufFields.ts). Go decodes into structs and marshals JSON with
 * `omitempty`, and a few apimachinery types have their own JSON form (Time,
 * MicroTime, IntOrString, Quantity, RawExtension, FieldsV1).
 */

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Content type of the Kubernetes protobuf encoding. */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

const KIND_PACKAGES: Record<string, string> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'admissionregistration.k8s.io/v1': 'k8s.io.api.admissionregistration.v1',
};

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const FIELDS_V1 = `${META}.FieldsV1`;
const TYPE_META = 'k8s.io.apimachinery.pkg.runtime.TypeMeta';
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension';

/**
 * Pointer fields whose zero value is meaningful (Go encodes a set `*int32`
 * even when 0, and its JSON keeps it); other zero scalars are `omitempty`.
 */
const KEEP_ZERO = new Set(['replicas']);

/** The message of a built-in kind, e.g. `k8s.io.api.apps.v1.Deployment`. */
function messageFor(apiVersion: string, kind: string): string | undefined {
  const pkg = KIND_PACKAGES[apiVersion];
  const name = pkg ? `${pkg}.${kind}` : undefined;
  return name && PROTO_MESSAGES[name] ? name : undefined;
}

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

/**
 * Drops what Go's `json:",omitempty"` drops: "", 0, false, empty maps and
 * lists. Nested structs stay even when empty (`resources: {}`), as Go prints
 * them; a nil pointer is never on the wire in the first place.
 */
function omitEmpty(object: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === '' || value === false) continue;
    if (value === 0 && !KEEP_ZERO.has(key)) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

function decodeMessage(
  buf: Buffer,
  messageName: string,
  raw = false,
): Record<string, any> {
  const message = PROTO_MESSAGES[messageName];
  if (!message) throw new Error(`no protobuf schema for ${messageName}`);
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
    const [name, type, repeated] = field;
    if (type.startsWith('map:')) {
      const [k, v] = decodeMapEntry(reader.bytes(), type.slice(4));
      out[name] = { ...(out[name] ?? {}), [k]: v };
    } else if (
      repeated &&
      wireType === 2 &&
      (type === 'int32' || type === 'int64')
    ) {
      const packed = new Reader(reader.bytes());
      const values: number[] = out[name] ?? [];
      while (!packed.done()) values.push(signed64(packed.varint()));
      out[name] = values;
    } else {
      const value = decodeValue(reader, type);
      out[name] = repeated ? [...(out[name] ?? []), value] : value;
    }
  }
  return raw ? out : omitEmpty(out);
}

function timeToJson(raw: Buffer, micro: boolean): string | undefined {
  const time = decodeMessage(raw, TIME, true);
  const seconds = Number(time.seconds ?? 0);
  const nanos = Number(time.nanos ?? 0);
  if (!seconds && !nanos) return undefined; // the zero Time is null in JSON
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro
    ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`
    : `${base}Z`;
}

/** Messages whose JSON form is not an object (apimachinery's own marshalers). */
function decodeSpecial(raw: Buffer, type: string): unknown {
  switch (type) {
    case TIME:
      return timeToJson(raw, false);
    case MICRO_TIME:
      return timeToJson(raw, true);
    case INT_OR_STRING: {
      const v = decodeMessage(raw, type, true);
      return Number(v.type ?? 0) === 1
        ? String(v.strVal ?? '')
        : Number(v.intVal ?? 0);
    }
    case QUANTITY:
      return String(decodeMessage(raw, type, true).string ?? '');
    case RAW_EXTENSION:
    case FIELDS_V1: {
      const v = decodeMessage(raw, type, true);
      const bytes = Buffer.from(String(v.raw ?? v.Raw ?? ''), 'base64');
      return bytes.length ? JSON.parse(bytes.toString('utf8')) : {};
    }
    default:
      return decodeMessage(raw, type);
  }
}

/** One value of a scalar or message type, in its JSON form. */
function decodeValue(reader: Reader, type: string): unknown {
  switch (type) {
    case 'string':
      return reader.bytes().toString('utf8');
    case 'bytes':
      return reader.bytes().toString('base64');
    case 'int32':
    case 'int64':
      return signed64(reader.varint());
    case 'bool':
      return reader.varint() !== 0n;
    default:
      return decodeSpecial(reader.bytes(), type);
  }
}

function decodeMapEntry(raw: Buffer, valueType: string): [string, unknown] {
  const reader = new Reader(raw);
  let key = '';
  let value: unknown =
    valueType === 'string' || valueType === 'bytes' ? '' : {};
  while (!reader.done()) {
    const tag = Number(reader.varint());
    const field = tag >> 3;
    if (field === 1 && (tag & 7) === 2) key = reader.bytes().toString('utf8');
    else if (field === 2) value = decodeValue(reader, valueType);
    else reader.skip(tag & 7);
  }
  return [key, value];
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
        const typeMeta = decodeMessage(bytes, TYPE_META);
        apiVersion = typeMeta.apiVersion ?? '';
        kind = typeMeta.kind ?? '';
      } else if (number === 2) {
        raw = bytes;
      }
    }
  } catch (error) {
    throw badRequest(`invalid protobuf body: ${(error as Error).message}`);
  }
  const message = messageFor(apiVersion, kind);
  if (!message) {
    throw new KubeApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (the sandbox has no protobuf schema for ${apiVersion} ${kind})`,
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
