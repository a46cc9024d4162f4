// Checks of one rendered page that need no checker library: they read the DOM through the driver (page
// JavaScript stays off) and return a list of problems, empty when the page is right.
//   - no-trace rules visible in the document: no script, no noscript, no external subresource;
//   - the exit link is the first focusable element;
//   - every form field has a visible label; every error shown beside a field is tied to it (aria-describedby) and
//     a field with an error is marked invalid (aria-invalid), and the error summary follows the heading (on the
//     code page, the code and its 112 line) and links to fields that exist;
//   - no horizontal scrolling at a given width (320 px = a 1280 px window at 400 %; 640 px = at 200 %);
//   - for the staff desk's pages, the same without the exit link: the skip link comes first.

/** Problems with the document's structure: scripts, exit link, labels and errors. */
export async function documentProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    if (document.querySelector('script')) problems.push('the page has a <script> element');
    if (document.querySelector('noscript')) problems.push('the page has a <noscript> element');
    for (const element of document.querySelectorAll('[src], link[href]:not([rel="icon"][href="data:,"])')) {
      problems.push(`the page loads a subresource: ${element.outerHTML.slice(0, 100)}`);
    }

    const focusable = [
      ...document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, [tabindex]'),
    ].filter((element) => !element.disabled && element.tabIndex >= 0);
    const first = focusable[0];
    if (!first || !first.matches('a.exit[href="/exit"]')) {
      problems.push(`the first focusable element is not the exit link but ${first ? first.outerHTML.slice(0, 100) : 'nothing'}`);
    }

    const fields = document.querySelectorAll('input:not([type="hidden"]), select, textarea');
    for (const field of fields) {
      const label = field.id ? document.querySelector(`label[for="${CSS.escape(field.id)}"]`) : field.closest('label');
      if (!label || !label.textContent.trim()) {
        problems.push(`field ${field.name || field.id} has no label with text`);
      }
    }

    for (const error of document.querySelectorAll('.error[id]')) {
      // An error about the whole form (an expired form) stands at the top of the form, not beside a field.
      if (error.parentElement?.tagName === 'FORM') continue;
      const owner = document.querySelector(`[aria-describedby~="${CSS.escape(error.id)}"]`);
      if (!owner) {
        problems.push(`the error "${error.textContent.trim()}" (#${error.id}) is tied to no field by aria-describedby`);
        continue;
      }
      // A field announces itself as invalid; a group of radio buttons (fieldset) carries the error in its
      // description, as aria-invalid is not allowed on a group.
      if (owner.matches('input, select, textarea') && owner.getAttribute('aria-invalid') !== 'true') {
        const name = owner.id || owner.getAttribute('name') || owner.tagName.toLowerCase();
        problems.push(`${name} has an error (#${error.id}) but is not marked aria-invalid="true"`);
      }
    }
    const summary = document.querySelector('.errors');
    if (document.querySelector('.error[id]') && !summary) problems.push('errors beside fields but no error summary');
    if (summary) {
      // The summary comes right after the heading; on the code page the code stands first, with the one-line
      // 112 reminder beside it, so a failed check never pushes the code down (the code page guards the code).
      const h1 = document.querySelector('main h1');
      let next = h1?.nextElementSibling;
      if (next?.matches('p.code')) {
        next = next.nextElementSibling;
        if (next?.matches('p.urgent-line')) next = next.nextElementSibling;
      }
      if (!h1 || next !== summary) problems.push('the error summary does not follow the page heading');
      for (const link of summary.querySelectorAll('a[href^="#"]')) {
        if (!document.getElementById(link.getAttribute('href').slice(1))) {
          problems.push(`the error summary links to ${link.getAttribute('href')}, which is not on the page`);
        }
      }
    }
    return problems;
  });
}

/** The document's width beyond the viewport, in CSS pixels (0: no horizontal scrolling). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth));
}

/** The widths checked for reflow: 320 px (400 % zoom of a 1280 px window), 640 px at 2× (200 % zoom), 1280 px. */
export const REFLOW_VIEWPORTS = [
  { width: 320, height: 640, deviceScaleFactor: 1, label: '320px' },
  { width: 640, height: 450, deviceScaleFactor: 2, label: '200% zoom' },
  { width: 1280, height: 900, deviceScaleFactor: 1, label: '1280px' },
];

/**
 * Problems with a staff desk page's structure: no script, no subresource, the skip link first, every field with
 * a label, and an error summary right after the heading whose links lead to fields on the page. (The desk has
 * no exit link: it is the centre's own tool, not a page a visitor must leave quickly.)
 */
export async function deskDocumentProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    if (document.querySelector('script')) problems.push('the page has a <script> element');
    if (document.querySelector('noscript')) problems.push('the page has a <noscript> element');
    for (const element of document.querySelectorAll('[src], link[href]')) {
      problems.push(`the page loads a subresource: ${element.outerHTML.slice(0, 100)}`);
    }
    const focusable = [
      ...document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, [tabindex]'),
    ].filter((element) => !element.disabled && !element.hidden && element.tabIndex >= 0);
    if (!focusable[0]?.matches('a.skip[href="#main"]')) {
      problems.push(`the first focusable element is not the skip link but ${focusable[0]?.outerHTML.slice(0, 100) ?? 'nothing'}`);
    }
    // A hidden field for password managers (the login name beside a new password) is not for people.
    for (const field of document.querySelectorAll('input:not([type="hidden"]):not([hidden]), select, textarea')) {
      const label = field.id ? document.querySelector(`label[for="${CSS.escape(field.id)}"]`) : field.closest('label');
      if (!label || !label.textContent.trim()) problems.push(`field ${field.name || field.id} has no label with text`);
    }
    const summary = document.querySelector('.errors');
    if (summary) {
      let next = document.querySelector('main h1')?.nextElementSibling;
      if (next?.matches('[role="status"]')) next = next.nextElementSibling;
      if (next !== summary) problems.push('the error summary does not follow the page heading');
      for (const link of summary.querySelectorAll('a[href^="#"]')) {
        if (!document.getElementById(link.getAttribute('href').slice(1))) {
          problems.push(`the error summary links to ${link.getAttribute('href')}, which is not on the page`);
        }
      }
    }
    return problems;
  });
}
