// An authenticator app, as a staff member's phone would be: RFC 6238 (HMAC-SHA1, six digits, 30-second steps)
// from the base32 secret the desk's enrolment page shows as text. Written here with node's crypto, not taken
// from the desk, so the test checks the desk against the standard and not against itself.

import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The bytes of an RFC 4648 base32 text; spaces and padding are ignored, as apps ignore them. */
export function base32Decode(text) {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('the secret is not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The RFC 6238 code of `key` (bytes) for time step `step`, with `digits` digits. */
export function totpAt(key, step, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(number % 10 ** digits).padStart(digits, '0');
}

const nowStep = () => Math.floor(Date.now() / 1000 / 30);

/**
 * One account's app. The desk accepts a code once and never a code of an earlier step (RFC 6238 §5.2), and one
 * step ahead of its clock: `nextCode()` gives the code of the first step after the last one used, waiting for
 * the clock when that step is more than one ahead.
 */
export class Authenticator {
  constructor(secretText) {
    this.key = base32Decode(secretText);
    this.lastStep = 0;
  }

  async nextCode() {
    const step = Math.max(nowStep(), this.lastStep + 1);
    while (nowStep() + 1 < step) await new Promise((resolve) => setTimeout(resolve, 500));
    this.lastStep = step;
    return totpAt(this.key, step);
  }
}
