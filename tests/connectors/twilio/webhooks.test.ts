import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { BASE, FALLBACK, postTwilio, sid, TOKEN, voiceParams } from './twilio-helpers.js'

/*
 * Twilio's voice webhooks end to end: requests url-encoded and signed with Twilio's own
 * library exactly as Twilio signs them, through the real app and PostgreSQL.
 */
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({
    config: testConfig({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE, TWILIO_FALLBACK_NUMBER: FALLBACK }),
    db: database.db,
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

const VOICE = '/webhooks/twilio/voice'
const STATUS = '/webhooks/twilio/status'
const RECORDING = '/webhooks/twilio/recording'

const counts = async () => ({
  leads: await database.db.lead.count(),
  calls: await database.db.activity.count({ where: { kind: 'call' } }),
  deliveries: await database.db.inboundDelivery.count(),
  outbox: await database.db.outboxEvent.count(),
  tasks: await database.db.task.count(),
})
const callActivity = (callSid: string) =>
  database.db.activity.findUniqueOrThrow({ where: { dedupeKey: `delivery/twilio/call:${callSid}` } })
const delivery = (key: string) =>
  database.db.inboundDelivery.findUniqueOrThrow({
    where: { connectorId_deliveryKey: { connectorId: 'twilio', deliveryKey: key } },
  })

describe('Twilio incoming call', () => {
  it('makes an unknown caller a lead whose journey will start, and rings the fallback number', async () => {
    const callSid = sid('CA')
    const res = await postTwilio(app, VOICE, voiceParams(callSid))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toContain('text/xml')
    expect(res.body).toContain(`<Dial action="${BASE}/webhooks/twilio/status"`)
    expect(res.body).toContain(`<Number>${FALLBACK}</Number>`)

    const lead = await database.db.lead.findFirstOrThrow()
    expect(lead).toMatchObject({
      channel: 'phone',
      phone: '+14155551234',
      country: 'US',
      createdBy: 'connector:twilio',
    })
    const touch = await database.db.touch.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(touch).toMatchObject({ source: 'phone', medium: 'call', campaign: '+14155559999' })
    const raw = await database.db.rawCapture.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(raw.payload).toMatchObject({ CallSid: callSid, From: '+14155551234' })
    const call = await callActivity(callSid)
    expect(call).toMatchObject({
      kind: 'call',
      direction: 'inbound',
      subject: 'Incoming call',
      leadId: lead.id,
    })
    expect(call.details).toMatchObject({
      callSid,
      from: '+14155551234',
      to: '+14155559999',
      status: 'ringing',
    })
    const outbox = await database.db.outboxEvent.findMany({ where: { aggregateId: lead.id } })
    expect(outbox.map((e) => e.topic)).toEqual(['lead.captured'])
    expect(await delivery(`call:${callSid}`)).toMatchObject({ outcome: 'lead_created', leadId: lead.id })
  })

  it('puts a known caller’s call on their timeline as an engagement, without a new lead', async () => {
    await postTwilio(app, VOICE, voiceParams(sid('CA')))
    const lead = await database.db.lead.findFirstOrThrow()
    const second = sid('CA')
    const res = await postTwilio(app, VOICE, voiceParams(second))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.body).toContain('<Dial')
    expect(await database.db.lead.count()).toBe(1)
    const call = await callActivity(second)
    expect(call.leadId).toBe(lead.id)
    const topics = (await database.db.outboxEvent.findMany({ where: { aggregateId: lead.id } })).map(
      (e) => e.topic,
    )
    expect(topics.sort()).toEqual(['lead.captured', 'lead.engaged'])
    const after = await database.db.lead.findUniqueOrThrow({ where: { id: lead.id } })
    expect(after.engagement).toMatchObject({ call: 1 })
    expect(await delivery(`call:${second}`)).toMatchObject({ outcome: 'activity', leadId: lead.id })
  })

  it('answers a replayed call with the same TwiML and records it once (5 in turn, 5 at once)', async () => {
    const inTurn = sid('CA')
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await postTwilio(app, VOICE, voiceParams(inTurn)))
    expect(answers.map((a) => a.statusCode)).toEqual(Array(5).fill(200))
    expect(new Set(answers.map((a) => a.body)).size).toBe(1)
    expect(await counts()).toMatchObject({ leads: 1, calls: 1, deliveries: 1, outbox: 1 })
    expect((await delivery(`call:${inTurn}`)).duplicates).toBe(4)

    await truncateAll(database.db)
    const atOnce = sid('CA')
    const storm = await Promise.all(
      Array.from({ length: 5 }, () => postTwilio(app, VOICE, voiceParams(atOnce))),
    )
    expect(storm.map((a) => a.statusCode)).toEqual(Array(5).fill(200))
    expect(new Set(storm.map((a) => a.body)).size).toBe(1)
    expect(await counts()).toMatchObject({ leads: 1, calls: 1, deliveries: 1, outbox: 1 })
    expect((await delivery(`call:${atOnce}`)).duplicates).toBe(4)
  })

  it('refuses a missing, wrong or misaddressed signature with 403 and stores nothing', async () => {
    const params = voiceParams(sid('CA'))
    const refusals = [
      await postTwilio(app, VOICE, params, { signature: null }),
      await postTwilio(app, VOICE, params, { token: 'not-the-token-at-all' }),
      await postTwilio(app, VOICE, params, { signature: 'bm90IGEgc2lnbmF0dXJl' }),
      // Signed for the address we listen on, not the public URL Twilio calls.
      await postTwilio(app, VOICE, params, { signedUrl: `http://127.0.0.1:3000${VOICE}` }),
      // Signed, then a parameter changed on the way.
      await app.inject({
        method: 'POST',
        url: VOICE,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': (await import('twilio')).default.getExpectedTwilioSignature(
            TOKEN,
            BASE + VOICE,
            params,
          ),
        },
        payload: new URLSearchParams({ ...params, From: '+14155550000' }).toString(),
      }),
      // Unsigned and malformed: the signature is checked first.
      await postTwilio(app, VOICE, { From: '+14155551234' }, { signature: null }),
    ]
    for (const res of refusals) {
      expect(res.statusCode, res.body).toBe(403)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json()).toMatchObject({ code: 'forbidden', status: 403 })
    }
    expect(await counts()).toEqual({ leads: 0, calls: 0, deliveries: 0, outbox: 0, tasks: 0 })
    expect(await database.db.activity.count()).toBe(0)
  })

  it('signs over the query string as received', async () => {
    const callSid = sid('CA')
    const ok = await postTwilio(app, `${VOICE}?line=sales`, voiceParams(callSid))
    expect(ok.statusCode, ok.body).toBe(200)
    const stripped = await postTwilio(app, `${VOICE}?line=sales`, voiceParams(sid('CA')), {
      signedUrl: BASE + VOICE,
    })
    expect(stripped.statusCode).toBe(403)
    expect(await database.db.lead.count()).toBe(1)
  })

  it('answers malformed requests with 422 problem+json and field pointers, storing nothing', async () => {
    const { CallSid: _c, ...noSid } = voiceParams('x')
    const missingSid = await postTwilio(app, VOICE, noSid)
    expect(missingSid.statusCode).toBe(422)
    expect(missingSid.headers['content-type']).toContain('application/problem+json')
    expect(JSON.stringify(missingSid.json())).toContain('/body/CallSid')
    const { From: _f, ...noFrom } = voiceParams(sid('CA'))
    const missingFrom = await postTwilio(app, VOICE, noFrom)
    expect(missingFrom.statusCode).toBe(422)
    expect(JSON.stringify(missingFrom.json())).toContain('/body/From')
    const badStatus = await postTwilio(app, STATUS, { CallSid: sid('CA'), CallStatus: 'exploded' })
    expect(badStatus.statusCode).toBe(422)
    expect(JSON.stringify(badStatus.json())).toContain('/body/CallStatus')
    expect(await counts()).toEqual({ leads: 0, calls: 0, deliveries: 0, outbox: 0, tasks: 0 })
  })

  it('routes a withheld caller id without making a lead of it', async () => {
    const res = await postTwilio(app, VOICE, voiceParams(sid('CA'), 'anonymous'))
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<Dial')
    expect(await counts()).toEqual({ leads: 0, calls: 0, deliveries: 0, outbox: 0, tasks: 0 })
  })
})

describe('Twilio call status and recording', () => {
  const incoming = async () => {
    const callSid = sid('CA')
    expect((await postTwilio(app, VOICE, voiceParams(callSid))).statusCode).toBe(200)
    const lead = await database.db.lead.findFirstOrThrow()
    return { callSid, lead }
  }

  it('opens one call-back task for a call nobody answered, however often the status is sent', async () => {
    const { callSid, lead } = await incoming()
    const status = { CallSid: callSid, CallStatus: 'no-answer', CallDuration: '0', From: '+14155551234' }
    const answers = [await postTwilio(app, STATUS, status), await postTwilio(app, STATUS, status)]
    answers.push(...(await Promise.all([1, 2, 3].map(() => postTwilio(app, STATUS, status)))))
    expect(answers.map((a) => a.statusCode)).toEqual(Array(5).fill(200))
    const tasks = await database.db.task.findMany()
    expect(tasks).toHaveLength(1)
    expect(tasks[0]).toMatchObject({
      kind: 'missed_call_callback',
      title: 'Call back +14155551234',
      status: 'open',
      leadId: lead.id,
      assigneeId: lead.ownerId,
      queue: lead.ownerId ? null : 'sdr',
      workflowId: `lead/${lead.id}`,
      dedupeKey: `missed-call:${callSid}`,
      createdBy: 'connector:twilio',
    })
    expect(tasks[0]!.dueAt.getTime() - tasks[0]!.createdAt.getTime()).toBeGreaterThan(59 * 60 * 1000)
    const call = await callActivity(callSid)
    expect(call.details).toMatchObject({ status: 'no-answer', durationSeconds: 0 })
    expect(await delivery(`status:${callSid}:no-answer`)).toMatchObject({
      outcome: 'activity',
      duplicates: 4,
    })
  })

  it('after a Dial nobody picked up: voicemail TwiML, one task across the Dial action and the final status', async () => {
    const { callSid } = await incoming()
    const dial = {
      CallSid: callSid,
      CallStatus: 'in-progress',
      DialCallStatus: 'no-answer',
      DialCallDuration: '0',
    }
    const action = await postTwilio(app, STATUS, dial)
    expect(action.statusCode).toBe(200)
    expect(action.body).toContain(`<Record action="${BASE}/webhooks/twilio/recording"`)
    expect((await postTwilio(app, STATUS, dial)).body).toBe(action.body)
    const final = await postTwilio(app, STATUS, {
      CallSid: callSid,
      CallStatus: 'completed',
      CallDuration: '48',
    })
    expect(final.statusCode).toBe(200)
    expect(final.body).not.toContain('<Record')
    expect(await database.db.task.count()).toBe(1)
    const call = await callActivity(callSid)
    expect(call.details).toMatchObject({ status: 'completed', durationSeconds: 48, dialStatus: 'no-answer' })
  })

  it('records an answered call without a task, and ignores progress callbacks', async () => {
    const { callSid } = await incoming()
    const ringing = await postTwilio(app, STATUS, { CallSid: callSid, CallStatus: 'ringing' })
    expect(ringing.statusCode).toBe(200)
    const answered = await postTwilio(app, STATUS, {
      CallSid: callSid,
      CallStatus: 'in-progress',
      DialCallStatus: 'completed',
      DialCallDuration: '180',
    })
    expect(answered.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>')
    await postTwilio(app, STATUS, { CallSid: callSid, CallStatus: 'completed', CallDuration: '185' })
    expect(await database.db.task.count()).toBe(0)
    expect((await callActivity(callSid)).details).toMatchObject({
      status: 'completed',
      durationSeconds: 185,
      dialStatus: 'completed',
      dialDurationSeconds: 180,
    })
    expect(await database.db.inboundDelivery.count()).toBe(3)
  })

  it('lists the status of a call it never recorded as ignored', async () => {
    const callSid = sid('CA')
    const res = await postTwilio(app, STATUS, { CallSid: callSid, CallStatus: 'no-answer' })
    expect(res.statusCode).toBe(200)
    expect(await delivery(`status:${callSid}:no-answer`)).toMatchObject({ outcome: 'ignored' })
    expect(await database.db.task.count()).toBe(0)
  })

  it('stores a voicemail recording on the call, once per RecordingSid', async () => {
    const { callSid } = await incoming()
    const recordingSid = sid('RE')
    const params = {
      CallSid: callSid,
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${recordingSid}`,
      RecordingDuration: '17',
      RecordingStatus: 'completed',
    }
    const res = await postTwilio(app, RECORDING, params)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.body).toContain('<Hangup/>')
    await postTwilio(app, RECORDING, { ...params, RecordingDuration: '99' })
    expect((await callActivity(callSid)).details).toMatchObject({
      status: 'ringing',
      recording: { sid: recordingSid, url: params.RecordingUrl, durationSeconds: 17 },
    })
    expect(await delivery(`recording:${recordingSid}`)).toMatchObject({ outcome: 'activity', duplicates: 1 })
    const unsigned = await postTwilio(
      app,
      RECORDING,
      { ...params, RecordingSid: sid('RE') },
      { signature: null },
    )
    expect(unsigned.statusCode).toBe(403)
    expect(await database.db.inboundDelivery.count()).toBe(2)
  })
})

describe('Twilio without a fallback number', () => {
  let bare: FastifyInstance
  beforeAll(async () => {
    bare = await buildTestApp({
      config: testConfig({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE }),
      db: database.db,
    })
  })
  afterAll(async () => bare?.close())

  it('takes a voicemail, and a completed voicemail call still asks for a call back', async () => {
    const callSid = sid('CA')
    const res = await postTwilio(bare, VOICE, voiceParams(callSid))
    expect(res.statusCode).toBe(200)
    expect(res.body).not.toContain('<Dial')
    expect(res.body).toContain('<Record')
    expect((await callActivity(callSid)).details).toMatchObject({ route: 'voicemail' })
    await postTwilio(bare, STATUS, { CallSid: callSid, CallStatus: 'completed', CallDuration: '30' })
    expect(await database.db.task.count()).toBe(1)
  })
})

describe('Twilio in the API description', () => {
  it('documents the three webhooks as form posts answered with TwiML', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' })
    expect(res.statusCode).toBe(200)
    const paths = res.json<{ paths: Record<string, { post?: Record<string, unknown> }> }>().paths
    for (const path of [VOICE, STATUS, RECORDING]) {
      const post = paths[path]?.post
      expect(JSON.stringify(post?.['requestBody'])).toContain('application/x-www-form-urlencoded')
      expect(JSON.stringify(post?.['responses'])).toContain('text/xml')
    }
  })
})
