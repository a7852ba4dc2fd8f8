import { DEFAULT_SUCCESS_MESSAGE, type WebFormDefinition } from './form-fields.js'
import { formHtml } from './embed.js'
import type { FormUrls } from './urls.js'

/*
 * GET /f/:formId/embed.js: plain ES2017 for any host page, no build step, no dependencies.
 * It renders the form where the script tag is when the page has no form markup, fills the
 * hidden campaign fields (UTM tags, referrer and landing page of the visit), gives each
 * render a submission id (the delivery key: a double click or a retried fetch is one
 * submission), shows the form's current consent wording, and sends the form with fetch so
 * the visitor stays on the page. Posting urlencoded with only an Accept header keeps it a
 * CORS "simple request": no preflight. Without fetch, or without JavaScript, the form
 * posts the ordinary way.
 */
const SCRIPT = String.raw`(function () {
  'use strict';
  var config = __CONFIG__;
  var doc = document;
  var TAGS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
  var current = doc.currentScript;
  var forms = doc.querySelectorAll('form[data-leadwire-form="' + config.id + '"]');
  if (!forms.length && current && current.parentNode) {
    var holder = doc.createElement('div');
    holder.innerHTML = config.formHtml;
    current.parentNode.insertBefore(holder, current);
    forms = holder.querySelectorAll('form');
  }
  var visit = firstPageOfVisit();
  for (var i = 0; i < forms.length; i++) enhance(forms[i]);

  // The visit's landing page and referrer, kept for the session: a form three pages in
  // still credits the campaign link that brought the visitor.
  function firstPageOfVisit() {
    var here = { landing: location.href, referrer: doc.referrer };
    try {
      var stored = JSON.parse(sessionStorage.getItem('leadwire:visit') || 'null');
      if (stored && stored.landing) return stored;
      sessionStorage.setItem('leadwire:visit', JSON.stringify(here));
    } catch (e) {}
    return here;
  }

  function params(url) {
    try { return new URL(url).searchParams; } catch (e) { return new URLSearchParams(''); }
  }

  function field(form, name) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = doc.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    return input;
  }

  function fill(form, name, value) {
    var input = field(form, name);
    if (!input.value && value) input.value = value;
  }

  function newId() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }

  function say(form, text, isError) {
    var box = form.querySelector('[data-leadwire-message]');
    if (!box) {
      box = doc.createElement('p');
      box.setAttribute('data-leadwire-message', '');
      box.setAttribute('role', 'status');
      form.appendChild(box);
    }
    box.textContent = text;
    box.hidden = false;
    box.className = isError ? 'leadwire-message leadwire-error' : 'leadwire-message';
  }

  function busy(form, on) {
    form.setAttribute('aria-busy', on ? 'true' : 'false');
    var buttons = form.querySelectorAll('button, input[type="submit"]');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
  }

  function showProblem(form, problem) {
    var invalid = form.querySelectorAll('[aria-invalid]');
    for (var i = 0; i < invalid.length; i++) invalid[i].removeAttribute('aria-invalid');
    var messages = [];
    (problem.errors || []).forEach(function (error) {
      var name = String(error.pointer || '').replace(/^\/body\//, '');
      var input = name && form.querySelector('[name="' + name.replace(/"/g, '') + '"]');
      if (input) input.setAttribute('aria-invalid', 'true');
      messages.push(error.message);
    });
    say(form, messages.length ? messages.join(' ') : problem.detail || 'The form could not be sent.', true);
  }

  function done(form, reply) {
    form.dispatchEvent(new CustomEvent('leadwire:submitted', { bubbles: true, detail: { formId: config.id } }));
    if (config.redirectUrl) { location.assign(config.redirectUrl); return; }
    var message = doc.createElement('p');
    message.className = 'leadwire-message leadwire-success';
    message.setAttribute('role', 'status');
    message.textContent = (reply && reply.message) || config.successMessage;
    form.hidden = true;
    form.parentNode.insertBefore(message, form.nextSibling);
  }

  function enhance(form) {
    if (form.getAttribute('data-leadwire-ready')) return;
    form.setAttribute('data-leadwire-ready', 'true');
    var here = new URLSearchParams(location.search);
    var first = params(visit.landing);
    TAGS.forEach(function (tag) { fill(form, tag, here.get(tag) || first.get(tag)); });
    fill(form, 'referrer', visit.referrer);
    fill(form, 'landing_page', visit.landing);
    field(form, 'submission_id').value = newId();
    var wording = form.querySelector('[data-leadwire-consent-text]');
    if (wording && config.consentText) {
      wording.textContent = config.consentText;
      field(form, 'consent_text_version').value = config.consentTextVersion || '';
    }
    if (!window.fetch || !window.FormData) return;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (form.getAttribute('aria-busy') === 'true') return;
      busy(form, true);
      fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: 'application/json' },
        credentials: 'omit'
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          busy(form, false);
          if (response.ok) done(form, body); else showProblem(form, body);
        });
      }, function () {
        busy(form, false);
        say(form, 'The form could not be sent. Check your connection and try again.', true);
      });
    });
  }
})();
`

/** The script for one form, its settings inlined (one request, cacheable for a few minutes). */
export function embedScript(form: WebFormDefinition, urls: FormUrls): string {
  const config = {
    id: form.id,
    formHtml: formHtml(form, urls),
    successMessage: form.successMessage ?? DEFAULT_SUCCESS_MESSAGE,
    redirectUrl: form.redirectUrl,
    consentText: form.consentText,
    consentTextVersion: form.consentTextVersion,
  }
  // JSON is a JS expression; "<" is escaped so no "</script>" appears should the file be inlined.
  const literal = JSON.stringify(config).replace(/</g, '\\u003c')
  return SCRIPT.replace('__CONFIG__', () => literal)
}
