// What a staff test must never print or write in the clear: passwords, TOTP secrets (as text and as a QR code),
// one-time enrolment codes, session cookies, CSRF tokens and the visitor's code. Every such value is registered here as soon as the test
// knows it; failure messages and every page saved for the report pass through `mask()`, which puts the value's
// name in its place. A value is also masked in the forms a page shows it in (grouped by spaces or dashes).

/** A value's spellings: as given, without separators, and grouped in fours by a space or a dash. */
function spellings(value) {
  const bare = value.replace(/[\s-]/g, '');
  const groups = bare.match(/.{1,4}/g) ?? [];
  return [value, bare, groups.join(' '), groups.join('-')].filter((spelling) => spelling.length >= 6);
}

export class Secrets {
  constructor() {
    /** `[spelling, name]`, longest first, so a value is masked before any shorter value inside it. */
    this.entries = [];
  }

  /** Registers `value` under `name` (`password`, `TOTP secret`, …); returns the value. */
  add(name, value) {
    if (typeof value === 'string' && value) {
      for (const spelling of spellings(value)) this.entries.push([spelling, name]);
      this.entries.sort((a, b) => b[0].length - a[0].length);
    }
    return value;
  }

  /**
   * `text` with every registered value, and every CSRF token in a form, replaced by its name; the QR code that
   * carries a TOTP secret keeps its markup but draws nothing (`d="M0 0"`).
   */
  mask(text) {
    let masked = String(text);
    for (const [spelling, name] of this.entries) masked = masked.split(spelling).join(`[${name}]`);
    return masked
      .replace(/(name="csrf" value=")[^"]*"/g, '$1[CSRF token]"')
      .replace(/(<figure class="qr"[^>]*>(?:(?!<\/figure>)[\s\S])*?<path\b[^>]*\bd=")[^"]*"/g, '$1M0 0"');
  }

  /** Runs `fn`; an error it throws is thrown again with its message and stack masked. */
  async guard(fn) {
    try {
      return await fn();
    } catch (error) {
      const masked = new Error(this.mask(error?.message ?? error));
      masked.stack = this.mask(error?.stack ?? masked.stack);
      throw masked;
    }
  }
}
