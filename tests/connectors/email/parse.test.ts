import { describe, expect, it } from 'vitest'
import { automatedKind, isSystemAddress } from '../../../connectors/email/automated.js'
import { htmlToFormText, readFormFields } from '../../../connectors/email/form-fields.js'
import type { InboundEmail } from '../../../connectors/email/inbound-email.js'
import { parseInboundEmail, splitName, stripQuoted } from '../../../connectors/email/parse.js'

/*
 * The email connector's parsing rules, pure: a person's inquiry, the notification formats
 * of the common form plugins and lead marketplaces, and the mails that are not leads.
 * Payloads are shaped like the real ones, with made-up people.
 */
const AT = '2026-03-02T10:00:00.000Z'
const options = { defaultCountry: 'IN', receivedAt: AT }
const mail = (overrides: Partial<InboundEmail>): InboundEmail => ({
  messageId: '<m1@mail.example>',
  subject: 'Enquiry',
  headers: {},
  ...overrides,
})
const lead = (m: InboundEmail) => {
  const parsed = parseInboundEmail(m, options)
  if (parsed.kind !== 'lead') throw new Error(`expected a lead, got skip: ${parsed.reason}`)
  return parsed
}

describe('a person writing to the lead inbox', () => {
  it('is the lead: name from the display name, phone from the body, default attribution', () => {
    const parsed = lead(
      mail({
        from: { name: 'Meera Iyer', address: 'meera.iyer@iyer-exports.in' },
        subject: 'Quote for 200 units',
        text: 'Hello,\n\nPlease send a quote for 200 units.\n\nRegards,\nMeera\nMobile: 098765 01234\n',
      }),
    )
    expect(parsed.form).toBe(false)
    expect(parsed.capture).toEqual({
      channel: 'email',
      receivedAt: AT,
      externalId: '<m1@mail.example>',
      firstName: 'Meera',
      lastName: 'Iyer',
      email: 'meera.iyer@iyer-exports.in',
      phone: '+919876501234',
      attribution: { source: 'email', medium: 'inbound-email' },
    })
  })

  it('finds a phone written in running text, and none in the thread it quotes', () => {
    const withPhone = lead(
      mail({ from: { address: 'ravi@example.in' }, text: 'Call me on +91 99887 76655 after 5pm.' }),
    )
    expect(withPhone.capture.phone).toBe('+919988776655')
    const quoted = lead(
      mail({
        from: { address: 'ravi@example.in' },
        text: 'Yes, interested.\n\nOn Mon, 2 Mar 2026 at 09:00, Sales <sales@leadwire.example> wrote:\n> Call us on +91 80 4567 8901\n',
      }),
    )
    expect(quoted.capture.phone).toBeUndefined()
    expect(quoted.capture.firstName).toBeUndefined()
  })

  it('reads campaign tags from a link in the mail, but not from the quoted nurture mail', () => {
    const tagged = lead(
      mail({
        from: { address: 'ravi@example.in' },
        text: 'I saw https://acme.example/pricing?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q1 and want a demo.',
      }),
    )
    expect(tagged.capture.attribution).toEqual({
      landingPage: 'https://acme.example/pricing?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q1',
    })
    const reply = lead(
      mail({
        from: { address: 'ravi@example.in' },
        text: 'Sounds good.\n\n> Book here: https://acme.example/demo?utm_source=nurture&utm_medium=email\n',
      }),
    )
    expect(reply.capture.attribution).toEqual({ source: 'email', medium: 'inbound-email' })
  })
})

describe('web-form notifications', () => {
  it('Contact Form 7 (default template): the person is in the From line, not the notification sender', () => {
    const parsed = lead(
      mail({
        from: { name: 'WordPress', address: 'wordpress@acme.example' },
        replyTo: { name: 'Meera Iyer', address: 'meera@iyer-exports.in' },
        subject: 'Acme "Need pricing"',
        text: [
          'From: Meera Iyer <meera@iyer-exports.in>',
          'Subject: Need pricing',
          '',
          'Message Body:',
          'We need 200 units of the A-40 pump.',
          'Delivery to Pune.',
          '',
          '-- ',
          'This e-mail was sent from a contact form on Acme (https://acme.example)',
        ].join('\n'),
      }),
    )
    expect(parsed.form).toBe(true)
    expect(parsed.capture).toMatchObject({
      firstName: 'Meera',
      lastName: 'Iyer',
      email: 'meera@iyer-exports.in',
      need: 'We need 200 units of the A-40 pump.\nDelivery to Pune.',
      attribution: { source: 'email', medium: 'inbound-email' },
    })
    expect(parsed.capture.phone).toBeUndefined()
  })

  it('labelled lines (Elementor, Wix): every common label, and the page URL as landing page', () => {
    const parsed = lead(
      mail({
        from: { address: 'noreply@wix.com' },
        text: [
          'New form submission',
          '',
          'Full Name: Arjun Mehta',
          'E-mail: arjun.mehta@mehta-steel.in',
          'Contact Number: +91 98200 11223',
          'Organisation: Mehta Steel',
          'City: Mumbai',
          'Country: India',
          'Comments: Looking for a distributor quote.',
          'Page URL: https://acme.example/contact?utm_source=google&utm_medium=cpc&utm_campaign=pumps',
        ].join('\n'),
      }),
    )
    expect(parsed.form).toBe(true)
    expect(parsed.capture).toMatchObject({
      firstName: 'Arjun',
      lastName: 'Mehta',
      email: 'arjun.mehta@mehta-steel.in',
      phone: '+919820011223',
      company: 'Mehta Steel',
      city: 'Mumbai',
      country: 'India',
      need: 'Looking for a distributor quote.',
      attribution: {
        landingPage: 'https://acme.example/contact?utm_source=google&utm_medium=cpc&utm_campaign=pumps',
      },
    })
  })

  it("reads a national phone number in the form's own country, not the hub's default", () => {
    const parsed = lead(
      mail({
        from: { address: 'noreply@wix.com' },
        text: [
          'Name: Dana Price',
          'Email: dana@price-tools.com',
          'Phone: (415) 555-1234',
          'Country: United States',
        ].join('\n'),
      }),
    )
    expect(parsed.capture).toMatchObject({ phone: '+14155551234', country: 'United States' })
  })

  it('an HTML table notification (only an HTML part) is read row by row', () => {
    const parsed = lead(
      mail({
        from: { address: 'forms@acme.example' },
        html: `<html><head><style>td{padding:4px}</style></head><body><h2>New enquiry</h2>
          <table><tr><th>First Name</th><td>Priya</td></tr><tr><td><b>Last Name</b></td><td>Nair</td></tr>
          <tr><td>Email Address</td><td><a href="mailto:priya@nair.example">priya@nair.example</a></td></tr>
          <tr><td>WhatsApp</td><td>+91&nbsp;90000&nbsp;12345</td></tr>
          <tr><td>Message</td><td>Price &amp; lead time<br>for 50 units?</td></tr>
          <tr><td>Source</td><td>Instagram</td></tr></table></body></html>`,
      }),
    )
    expect(parsed.capture).toMatchObject({
      firstName: 'Priya',
      lastName: 'Nair',
      email: 'priya@nair.example',
      phone: '+919000012345',
      need: 'Price & lead time\nfor 50 units?',
      attribution: { source: 'Instagram' },
    })
  })

  it('Typeform and Google Forms style: each label on its own line, the answer below it', () => {
    const parsed = lead(
      mail({
        from: { address: 'notifications@typeform.com' },
        text: 'Name\nKavya Rao\n\nEmail\nkavya@rao.example\n\nCompany name\nRao Labs\n\nHow can we help?\nA demo for our team.\n',
      }),
    )
    expect(parsed.capture).toMatchObject({
      firstName: 'Kavya',
      lastName: 'Rao',
      email: 'kavya@rao.example',
      company: 'Rao Labs',
      need: 'A demo for our team.',
    })
  })

  it('IndiaMART / JustDial style buy-lead alerts: the buyer is the lead, with a phone and no email', () => {
    const parsed = lead(
      mail({
        from: { address: 'buyleads@indiamart.com' },
        subject: 'Buy Lead: Submersible pump',
        text: 'Buyer Name: Suresh Kumar\nMobile: 9876543210\nBuyer City: Coimbatore\nRequirement: 5 HP submersible pump, 10 units\n',
      }),
    )
    expect(parsed.form).toBe(true)
    expect(parsed.capture).toMatchObject({
      firstName: 'Suresh',
      lastName: 'Kumar',
      phone: '+919876543210',
      city: 'Coimbatore',
      need: '5 HP submersible pump, 10 units',
    })
    expect(parsed.capture.email).toBeUndefined()
  })

  it('a notification without an email field takes the person from Reply-To', () => {
    const parsed = lead(
      mail({
        from: { address: 'no-reply@acme.example' },
        replyTo: { name: 'Dev Patel', address: 'dev@patel.example' },
        text: 'Name: Dev Patel\nPhone: 98765 43210\nMessage: Call me back\n',
      }),
    )
    expect(parsed.capture).toMatchObject({ email: 'dev@patel.example', phone: '+919876543210' })
  })

  it('records the form’s consent checkbox as consent evidence', () => {
    const parsed = lead(
      mail({
        from: { address: 'wordpress@acme.example' },
        text: 'Your Name: Anna Schmidt\nYour Email: anna@schmidt.example\nCountry: Germany\nConsent: I agree to the privacy policy\n',
      }),
    )
    expect(parsed.capture.consent).toEqual({
      granted: true,
      at: AT,
      source: 'email:form-notification',
      text: 'I agree to the privacy policy',
    })
  })

  it('drops an unreadable phone answer when there is an email to follow up on', () => {
    const parsed = lead(
      mail({
        from: { address: 'wordpress@acme.example' },
        text: 'Name: Li Wei\nEmail: li@wei.example\nPhone: call me\n',
      }),
    )
    expect(parsed.capture.phone).toBeUndefined()
  })
})

describe('mails that are not leads', () => {
  const skip = (m: InboundEmail) => {
    const parsed = parseInboundEmail(m, options)
    return parsed.kind === 'skip' ? parsed.reason : 'lead'
  }

  it('skips auto-replies (RFC 3834 header, X-Autoreply, "Automatic reply:" subjects)', () => {
    const from = { address: 'meera@iyer-exports.in' }
    expect(skip(mail({ from, headers: { 'auto-submitted': 'auto-replied' }, text: 'Away' }))).toBe(
      'auto_reply',
    )
    expect(skip(mail({ from, headers: { 'x-autoreply': 'yes' }, text: 'Away' }))).toBe('auto_reply')
    expect(skip(mail({ from, subject: 'Automatic reply: Your quote', text: 'Away' }))).toBe('auto_reply')
    expect(skip(mail({ from, subject: 'Out of Office: Re: demo', text: 'Away' }))).toBe('auto_reply')
  })

  it('skips bounces and delivery reports', () => {
    expect(skip(mail({ from: { address: 'MAILER-DAEMON@mx.example' }, text: 'failed' }))).toBe('bounce')
    expect(
      skip(
        mail({
          from: { address: 'postmaster@mx.example' },
          contentType: 'multipart/report',
          headers: { precedence: 'bulk' },
        }),
      ),
    ).toBe('bounce')
    expect(
      skip(mail({ from: { address: 'ops@mx.example' }, subject: 'Undeliverable: Quote', text: 'x' })),
    ).toBe('bounce')
  })

  it('skips newsletters and machine notices that carry no form fields', () => {
    expect(
      skip(
        mail({
          from: { address: 'news@vendor.example' },
          headers: { 'list-unsubscribe': '<https://vendor.example/u>' },
          text: 'Our March newsletter. Call +91 80 4567 8901',
        }),
      ),
    ).toBe('automated')
    expect(
      skip(
        mail({ from: { address: 'alerts@bank.example' }, headers: { 'auto-submitted': 'auto-generated' } }),
      ),
    ).toBe('automated')
  })

  it('keeps a form notification marked auto-generated (form plugins set it, as RFC 3834 asks)', () => {
    expect(
      skip(
        mail({
          from: { address: 'wordpress@acme.example' },
          headers: { 'auto-submitted': 'auto-generated' },
          text: 'Name: Asha\nEmail: asha@example.in\n',
        }),
      ),
    ).toBe('lead')
  })

  it('skips mails with no address and no phone to follow up on', () => {
    expect(skip(mail({ text: 'garbage \u0000\u0001 no sender' }))).toBe('no_contact')
    expect(skip(mail({ from: { address: 'noreply@acme.example' }, text: 'Your export is ready.' }))).toBe(
      'no_contact',
    )
    expect(
      skip(mail({ from: { address: 'noreply@acme.example' }, text: 'Name: Someone\nMessage: hi' })),
    ).toBe('no_contact')
  })
})

describe('helpers', () => {
  it('reads labels with markdown bold, full-width colons and tabs', () => {
    expect(readFormFields('**Name**: A B\nE-mail：a@b.example\nMobile\t+91 90000 00000')).toEqual({
      name: 'A B',
      email: 'a@b.example',
      phone: '+91 90000 00000',
    })
  })

  it('keeps the first answer for a field and ignores unknown labels', () => {
    expect(readFormFields('Email: first@x.example\nFavourite colour: blue\nEmail: second@x.example')).toEqual(
      {
        email: 'first@x.example',
      },
    )
  })

  it('turns HTML rows into tab-separated lines and decodes entities', () => {
    expect(htmlToFormText('<table><tr><td>Name</td><td>O&#39;Brien &amp; Co</td></tr></table>').trim()).toBe(
      "Name\tO'Brien & Co",
    )
  })

  it('splits names, including "Last, First"', () => {
    expect(splitName('Meera Iyer')).toEqual({ firstName: 'Meera', lastName: 'Iyer' })
    expect(splitName('Iyer, Meera')).toEqual({ firstName: 'Meera', lastName: 'Iyer' })
    expect(splitName('"Madonna"')).toEqual({ firstName: 'Madonna' })
    expect(splitName('meera@example.in')).toEqual({})
  })

  it('cuts the quoted thread: Gmail, Outlook and forwarded headers', () => {
    expect(stripQuoted('Yes\nOn Mon, 2 Mar 2026, A <a@x.example>\nwrote:\n> old')).toBe('Yes')
    expect(stripQuoted('Yes\n\nFrom: Sales\nSent: Monday\nTo: me')).toBe('Yes\n')
    expect(stripQuoted('Fine\n-----Original Message-----\nFrom: x')).toBe('Fine')
  })

  it('knows system senders', () => {
    expect(isSystemAddress('no-reply@acme.example')).toBe(true)
    expect(isSystemAddress('buyleads@indiamart.com')).toBe(true)
    expect(isSystemAddress('meera@iyer-exports.in')).toBe(false)
    expect(automatedKind(mail({ headers: { 'auto-submitted': 'no' } }))).toBeNull()
  })
})
