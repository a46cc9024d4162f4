// What a browser shows again of a page that held typed input after the visitor has left through the exit, and
// whether the gateway was asked for anything on the way: the pieces the back/forward tests share, whatever
// drives the browser.
//
// A step (Back, Forward, Reload) fails when the page in front shows the visitor's typed text, code, messages or
// the staff reply — in the document or in any field — or when a request reached the gateway whose answer holds
// any of them, or that answered a form post with a page that opens something: the code page, the conversation
// or the delete confirmation. An empty form (what the landing's buttons open for anyone) opens nothing.

/** The form posts a browser might send again from its history. */
const FORM_POSTS = /^\/[a-z]{2,3}\/(contact|return|code|thread\/write|thread\/delete)$/;

/** The kinds of gateway page that open something of a visitor's. */
const OPENING_KINDS = new Set(['code page', 'conversation', 'delete confirmation']);

/** The visitor's secrets of one visit, by name: what must never be shown again. Empty values are left out. */
export function secretsOf(step, typed) {
  const secrets = {
    'typed text': typed,
    code: step.code,
    'code digits': step.code?.replace(/ /g, ''),
    'first message': step.texts.marker,
    'follow-up': step.texts.followUp,
    'staff reply': step.texts.staffReply,
  };
  return Object.fromEntries(Object.entries(secrets).filter(([, value]) => value));
}

/** The names of the secrets `text` holds. */
export function secretsIn(text, secrets) {
  return Object.entries(secrets)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

/** What kind of gateway page an HTML answer is, and its heading: never any of the visitor's text. */
export function answerKind(body) {
  const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim() ?? '';
  let kind = 'other page';
  if (/<p class="code"/.test(body)) kind = 'code page';
  else if (/action="\/[a-z]+\/thread\/write"/.test(body)) kind = 'conversation';
  else if (/name="confirm"/.test(body)) kind = 'delete confirmation';
  else if (/<form id="form"[^>]*action="\/[a-z]+\/contact"/.test(body)) kind = 'contact form';
  else if (/<form id="form"[^>]*action="\/[a-z]+\/return"/.test(body)) kind = 'code form';
  else if (/<form class="open"/.test(body)) kind = 'page with only the buttons that open the forms';
  return { kind, heading };
}

/**
 * One request that reached the gateway, as the report shows it: method, path, status, what the answer was, and
 * `reopened` (why it gave something away) or `null`.
 */
export function judgeRequest(entry, secrets) {
  const { kind, heading } = entry.body ? answerKind(entry.body) : { kind: 'no page', heading: '' };
  const held = secretsIn(entry.body ?? '', secrets);
  let reopened = null;
  if (held.length) reopened = `its answer holds the visitor's ${held.join(', ')}`;
  else if (entry.method === 'POST' && FORM_POSTS.test(entry.path) && entry.status === 200 && OPENING_KINDS.has(kind)) {
    reopened = `was answered with the ${kind}`;
  }
  const answer = heading ? `${kind} "${heading}"` : kind;
  return { method: entry.method, path: entry.path, status: entry.status, answer, reopened };
}

/** The failures of one recorded step (`{ step, secretsShown, requests }`), as sentences. */
export function stepFailures(page, record) {
  const failures = [];
  if (record.secretsShown.length) {
    failures.push(`${page}, ${record.step}: the browser shows the visitor's ${record.secretsShown.join(', ')} (${record.from}; ${record.shows})`);
  }
  for (const request of record.requests) {
    if (request.reopened) failures.push(`${page}, ${record.step}: ${request.method} ${request.path} reached the gateway and ${request.reopened}`);
  }
  return failures;
}

/** A short, secret-free description of where a browser is: the exit site, an error page, or a gateway page. */
export function describeUrl(url, { gatewayOrigin, exitOrigin }) {
  if (url.startsWith(exitOrigin)) return 'the exit site';
  if (url.startsWith('about:neterror')) {
    const code = new URL(url).searchParams.get('e');
    return code === 'notCached' ? 'Firefox error page "Document Expired" (notCached)' : `Firefox error page (${code})`;
  }
  if (url.startsWith('chrome-error:')) return 'Chromium error page';
  if (url.startsWith(gatewayOrigin)) return `gateway ${new URL(url).pathname}`;
  return url.split('?')[0];
}
