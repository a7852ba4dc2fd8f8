import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common'
import proto from '@temporalio/proto'
import type { Config } from '../config.js'
import type { Db } from '../database/prisma.js'
import { open, payloadMasterKey, PayloadKeyStore, seal, subjectOfWorkflow } from './payload-keys.js'

/*
 * Encrypts every Temporal payload (workflow inputs, signals, updates, queries, activity
 * arguments and results, failures' details) under the key of the person the workflow is
 * about, before it leaves the process: the Temporal server and its database only ever hold
 * ciphertext. The SDK tells the codec which workflow a payload belongs to (serialization
 * context), so a journey's payloads use its lead's key, and destroying that key (erasure)
 * leaves its history unreadable everywhere, without touching the server.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted'
export const KEY_ID_METADATA = 'encryption-key-id'
const CIPHER_METADATA = 'encryption-cipher'
const CIPHER = 'AES-256-GCM'
// The package is CommonJS: Node's ESM loader cannot see its named exports.
const { Payload: PayloadProto } = proto.temporal.api.common.v1

const text = (bytes: Uint8Array | null | undefined) =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.['encoding']) === ENCRYPTED_ENCODING
}

export function keyIdOf(payload: Payload): string | undefined {
  return text(payload.metadata?.[KEY_ID_METADATA])
}

/** The workflow whose subject key a payload belongs to, from the SDK's serialization context. */
function workflowOf(context: SerializationContext | undefined): string | undefined {
  return context?.workflowId
}

export class PersonKeyPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeyStore) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads
    const { keyId, key } = await this.keys.forSubject(subjectOfWorkflow(workflowOf(context)))
    return payloads.map((payload) => ({
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(keyId),
        [CIPHER_METADATA]: Buffer.from(CIPHER),
      },
      data: seal(key, PayloadProto.encode(payload).finish(), keyId),
    }))
  }

  /**
   * Payloads written before encryption (journeys older than the codec) pass through as they
   * are. A payload whose key was destroyed cannot be read: that is the point of erasure.
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => this.decodeOne(p)))
  }

  /** One payload in clear, or null when its key is gone (erased) or unknown. */
  async tryDecode(payload: Payload): Promise<Payload | null> {
    if (!isEncrypted(payload)) return payload
    const keyId = keyIdOf(payload)
    const found = keyId ? await this.keys.byId(keyId) : null
    if (!found?.key || !keyId || !payload.data) return null
    return PayloadProto.decode(open(found.key, payload.data, keyId))
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    const decoded = await this.tryDecode(payload)
    if (decoded) return decoded
    throw new Error(
      `payload encrypted with key ${keyIdOf(payload) ?? '(none)'} cannot be decoded: the key was destroyed (erasure) or never existed here`,
    )
  }
}

/** The codec and its key store for a process: one per process, shared by its client and worker. */
export function createPayloadCodec(
  db: Db,
  config: Pick<Config, 'PAYLOAD_MASTER_KEY' | 'DATA_DIR' | 'PAYLOAD_KEY_CACHE_SECONDS'>,
): { codec: PersonKeyPayloadCodec; keys: PayloadKeyStore } {
  const keys = new PayloadKeyStore(db, payloadMasterKey(config), config.PAYLOAD_KEY_CACHE_SECONDS * 1000)
  return { codec: new PersonKeyPayloadCodec(keys), keys }
}
