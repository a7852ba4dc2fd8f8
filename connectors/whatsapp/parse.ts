import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isPnUser,
  jidDecode,
  normalizeMessageContent,
  toNumber,
  type WAMessage,
} from './transport.js'

/** A person's WhatsApp message, as the connector hands it on. */
export interface WhatsAppInbound {
  /** `<phone digits>:<message id>`: the same message twice is one delivery. */
  deliveryKey: string
  messageId: string
  /** The sender's phone-number jid (`919876543210@s.whatsapp.net`): their id on this channel. */
  jid: string
  /** E.164, read from the sender's phone-number jid. */
  phone: string
  /** The sender's WhatsApp profile name (pushName), when they set one. */
  name: string | undefined
  firstName: string | undefined
  lastName: string | undefined
  /** The text, a caption, or a placeholder such as `[image]`; at most MAX_TEXT characters. */
  text: string
  truncated: boolean
  /** What kind of message it was: text, image, video, audio, document, location... */
  contentType: string
  /** When WhatsApp says it was sent (ISO 8601), if the message carries it. */
  sentAt: string | undefined
}

export type IgnoredReason =
  | 'no_key'
  | 'from_me'
  | 'status_broadcast'
  | 'broadcast'
  | 'group'
  | 'newsletter'
  | 'no_phone'
  | 'no_content'
  | 'reaction'
  | 'protocol'
  | 'unsupported'

export type ParsedMessage = { ok: true; message: WhatsAppInbound } | { ok: false; reason: IgnoredReason }

export const MAX_TEXT = 2_000
const TEXT_TYPES = new Set(['conversation', 'extendedTextMessage'])
const MAX_NAME = 100

/** Media kinds worth a timeline entry even without a caption. */
const PLACEHOLDERS: Record<string, string> = {
  imageMessage: '[image]',
  videoMessage: '[video]',
  ptvMessage: '[video]',
  audioMessage: '[audio]',
  documentMessage: '[document]',
  stickerMessage: '[sticker]',
  locationMessage: '[location]',
  liveLocationMessage: '[location]',
  contactMessage: '[contact]',
  contactsArrayMessage: '[contacts]',
}

/**
 * Reads one Baileys message. Pure: no I/O, no clock. Only one-to-one messages from
 * a person reach intake: our own messages (sent from the paired phone), status updates,
 * broadcasts, groups and channels are not a person talking to us, and reactions, edits,
 * deletions and receipts (protocol messages) are not new messages.
 */
export function parseWhatsAppMessage(msg: WAMessage): ParsedMessage {
  const key = msg.key
  if (!key?.id || !key.remoteJid) return { ok: false, reason: 'no_key' }
  if (key.fromMe) return { ok: false, reason: 'from_me' }
  if (key.remoteJid === 'status@broadcast') return { ok: false, reason: 'status_broadcast' }
  if (isJidBroadcast(key.remoteJid)) return { ok: false, reason: 'broadcast' }
  if (isJidGroup(key.remoteJid)) return { ok: false, reason: 'group' }
  if (isJidNewsletter(key.remoteJid)) return { ok: false, reason: 'newsletter' }

  // Baileys 7 may address a chat by its LID (a private id, not a phone number); the
  // phone-number jid then comes as remoteJidAlt. Without one we cannot name the person.
  const pnJid = isPnUser(key.remoteJid) ? key.remoteJid : isPnUser(key.remoteJidAlt) ? key.remoteJidAlt : null
  const digits = pnJid ? jidDecode(pnJid)?.user : undefined
  if (!digits || !/^\d{6,15}$/.test(digits)) return { ok: false, reason: 'no_phone' }

  const content = normalizeMessageContent(msg.message)
  const type = getContentType(content)
  if (!content || !type) return { ok: false, reason: 'no_content' }
  if (type === 'reactionMessage' || type === 'encReactionMessage') return { ok: false, reason: 'reaction' }
  if (type === 'protocolMessage') return { ok: false, reason: 'protocol' }
  const body = textOf(content, type)
  if (body === undefined) return { ok: false, reason: 'unsupported' }

  const name = cleanName(msg.pushName)
  const [first, ...rest] = name?.split(/\s+/) ?? []
  const seconds =
    msg.messageTimestamp === undefined || msg.messageTimestamp === null ? 0 : toNumber(msg.messageTimestamp)
  return {
    ok: true,
    message: {
      deliveryKey: `${digits}:${key.id}`,
      messageId: key.id,
      jid: `${digits}@s.whatsapp.net`,
      phone: `+${digits}`,
      name,
      firstName: first,
      lastName: rest.length ? rest.join(' ') : undefined,
      text: body.length > MAX_TEXT ? body.slice(0, MAX_TEXT) : body,
      truncated: body.length > MAX_TEXT,
      contentType: TEXT_TYPES.has(type) ? 'text' : type.replace(/Message$/, ''),
      sentAt: seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined,
    },
  }
}

function textOf(content: NonNullable<WAMessage['message']>, type: string): string | undefined {
  switch (type) {
    case 'conversation':
      return content.conversation ?? ''
    case 'extendedTextMessage':
      return content.extendedTextMessage?.text ?? ''
    case 'buttonsResponseMessage':
      return content.buttonsResponseMessage?.selectedDisplayText ?? '[button]'
    case 'listResponseMessage':
      return content.listResponseMessage?.title ?? '[list reply]'
    case 'templateButtonReplyMessage':
      return content.templateButtonReplyMessage?.selectedDisplayText ?? '[button]'
  }
  const placeholder = PLACEHOLDERS[type]
  if (!placeholder) return undefined
  const media = content[type as keyof typeof content] as { caption?: string | null } | null | undefined
  return media?.caption?.trim() || placeholder
}

function cleanName(pushName: string | null | undefined): string | undefined {
  // Profile names are free text: drop control characters, keep letters of any script.
  const name = pushName
    ?.replace(/\p{Cc}/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ')
  return name ? name.slice(0, MAX_NAME) : undefined
}

/*
 * Opt-out words, as a whole message: the keywords carriers and Twilio treat as an opt-out
 * (https://help.twilio.com/articles/223134027). "cancel" or "end" alone are left out on
 * purpose: in a sales chat they are more often about a meeting than about consent.
 */
const OPT_OUT = new Set([
  'STOP',
  'STOPALL',
  'STOP ALL',
  'UNSUBSCRIBE',
  'OPTOUT',
  'OPT OUT',
  'OPT-OUT',
  'REVOKE',
])

/** True when the whole message asks us to stop messaging (STOP, unsubscribe...). */
export function isOptOut(text: string): boolean {
  const word = text
    .trim()
    .toUpperCase()
    .replace(/[.!\s]+$/u, '')
    .replace(/\s+/g, ' ')
  return OPT_OUT.has(word)
}
