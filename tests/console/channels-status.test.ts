import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signPartnerRequest } from '../../connectors/partner-api/client-signing.js'
import { accessibilityProblems, screenshot, useConsoleHarness } from '../support/browser.js'

/*
 * The channels overview and the setup that happens outside forms: connector health, the
 * Twilio webhook URLs, WhatsApp pairing (the QR the socket's holder stores, seeded here as
 * no socket runs in the test) and partner keys, shown once and working at once. A role
 * without channel access does not see the section.
 */
const PUBLIC = 'https://hub.example.in'
const harness = useConsoleHarness({
  config: { WHATSAPP_ENABLED: 'true', TWILIO_AUTH_TOKEN: 'twilio-test-token', PUBLIC_BASE_URL: PUBLIC },
})

/** What the WhatsApp listener writes to connector_state while it waits for a scan, and once linked. */
async function whatsappState(status: string, state: { qr: string | null; pairedAs: string | null }) {
  await harness.database.db.connectorState.upsert({
    where: { connectorId: 'whatsapp' },
    create: { connectorId: 'whatsapp', status, state },
    update: { status, state },
  })
}

async function postPartnerLead(key: string, email: string) {
  const body = JSON.stringify({ email, firstName: 'Ishaan', partnerLeadId: `pl-${email}` })
  return fetch(`${harness.baseUrl}/partner/v1/leads`, {
    method: 'POST',
    headers: { ...signPartnerRequest(key, body), 'idempotency-key': randomUUID() },
    body,
  })
}

describe('console: channel status and setup', () => {
  it('shows each connector’s status, the mailbox and Twilio, and the WhatsApp QR while pairing', async () => {
    const { db } = harness.database
    await db.connectorState.create({
      data: {
        connectorId: 'web-form',
        status: 'idle',
        deliveries: 37,
        lastActivityAt: new Date(Date.now() - 5 * 60_000),
      },
    })
    await whatsappState('pairing', {
      qr: '2@Zm9yLXRoZS1jb25zb2xlLXRlc3Q=,c2VydmVyLWtleQ==,aWRlbnRpdHk=',
      pairedAs: null,
    })
    const marketer = await harness.person('marketing', { name: 'Rohan Mehta' })
    const { context, page } = await harness.open(marketer, { path: '/console/channels' })

    const table = page
      .getByRole('table')
      .filter({ has: page.getByRole('columnheader', { name: 'Replays ignored' }) })
    const webForms = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /Web forms/ }) })
    await webForms.waitFor()
    expect(await webForms.getByRole('cell').allTextContents()).toEqual(
      expect.arrayContaining(['On', '5 minutes ago', '37', '0']),
    )
    const google = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Google Ads/ }) })
    expect(await google.textContent()).toContain(
      "Off until GOOGLE_ADS_WEBHOOK_KEY is set in the API's environment.",
    )

    const mailbox = page.getByRole('region', { name: 'Mailbox (IMAP)' })
    expect(await mailbox.textContent()).toContain(
      'Not configured. Set IMAP_HOST, IMAP_USER and IMAP_PASSWORD in the API',
    )
    expect(await mailbox.getByRole('definition').allTextContents()).toEqual([
      'No',
      'Not connected (off)',
      'Never',
      '0',
      '0',
    ])
    const twilio = page.getByRole('region', { name: 'Phone (Twilio)' })
    expect(await twilio.getByText('On', { exact: true }).isVisible()).toBe(true)
    expect(await twilio.locator('code').allTextContents()).toEqual([
      `${PUBLIC}/webhooks/twilio/voice`,
      `${PUBLIC}/webhooks/twilio/status`,
    ])
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'channels')

    // WhatsApp: the QR the listener stored, as an image, refreshed while waiting.
    await page.getByRole('tab', { name: 'WhatsApp' }).click()
    const qr = page.getByRole('img', { name: /WhatsApp pairing QR code/ })
    await qr.waitFor()
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/)
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'channels-whatsapp')

    // The phone scans it: the page follows the pairing to the linked number.
    await whatsappState('connected', { qr: null, pairedAs: '+919812345678' })
    await page.getByText('+919812345678').first().waitFor({ timeout: 10_000 })
    expect(await qr.count()).toBe(0)

    // Unlinking asks first, then asks the socket's holder to log out.
    await page.getByRole('button', { name: 'Unlink WhatsApp…' }).click()
    await page.getByRole('button', { name: 'Unlink', exact: true }).click()
    await page.getByText('Unlinking: the connection logs out on its next check.').waitFor()
    const row = await db.connectorState.findUniqueOrThrow({ where: { connectorId: 'whatsapp' } })
    expect(row.state).toMatchObject({ logoutRequested: true })
    await context.close()
  })

  it('creates a partner and shows its key once; the key works at once and is refused once revoked', async () => {
    const { db } = harness.database
    const admin = await harness.person('admin', { name: 'Anita Desai' })
    const { context, page } = await harness.open(admin, { path: '/console/channels?tab=partners' })
    await page.getByRole('button', { name: 'New partner' }).click()
    await page.getByLabel('Partner name').fill('Acme Marketplace')
    expect(await page.getByLabel('Partner id').inputValue()).toBe('acme-marketplace')
    await page.getByRole('button', { name: 'Create partner' }).click()
    await page.getByRole('heading', { level: 2, name: /Acme Marketplace/ }).waitFor()
    expect(await db.partner.findUniqueOrThrow({ where: { id: 'acme-marketplace' } })).toMatchObject({
      name: 'Acme Marketplace',
      isActive: true,
    })

    await page.getByLabel('Label (optional)').fill('production')
    await page.getByRole('button', { name: 'Issue a key' }).click()
    const notice = page.getByRole('region', { name: /issued/ })
    await notice.waitFor()
    expect(await notice.textContent()).toContain('Copy it now: this is the only time it is shown.')
    const key = (await notice.locator('code').textContent()) ?? ''
    expect(key).toMatch(/^lwp_[0-9a-f]{12}_/)
    const stored = await db.partnerKey.findFirstOrThrow({ where: { partnerId: 'acme-marketplace' } })
    expect(key).toContain(stored.id)
    expect(stored.label).toBe('production')
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'channels-partner-key')

    // The key works as shown: a signed partner request is accepted and makes a lead.
    const accepted = await postPartnerLead(key, 'ishaan@acme-market.example.in')
    expect(accepted.status, await accepted.text()).toBe(202)
    expect(
      await db.lead.findFirstOrThrow({ where: { email: 'ishaan@acme-market.example.in' } }),
    ).toMatchObject({ channel: 'partner_api' })

    // Once dismissed (or after a reload) the key is gone from the page for good.
    await page.getByRole('button', { name: 'I have copied it' }).click()
    expect(await page.content()).not.toContain(key)
    await page.reload()
    await page.getByRole('heading', { level: 2, name: /Acme Marketplace/ }).waitFor()
    expect(await page.content()).not.toContain(key)

    await page.getByRole('button', { name: `Revoke key ${stored.id}` }).click()
    await page.getByRole('button', { name: 'Revoke', exact: true }).click()
    await page.getByText('Revoked', { exact: true }).waitFor()
    expect((await db.partnerKey.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt).not.toBeNull()
    expect((await postPartnerLead(key, 'late@acme-market.example.in')).status).toBe(403)
    await context.close()
  })

  it('does not show Channels to an SDR or a sales rep, nor route it', async () => {
    for (const role of ['sdr', 'sales_rep']) {
      const person = await harness.person(role)
      const { context, page } = await harness.open(person)
      const links = await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link')
        .allTextContents()
      expect(links).not.toContain('Channels')
      await page.goto('/console/channels')
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found')
      await context.close()
    }
  })
})
