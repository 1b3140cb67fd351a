import { hasCardNumber } from './card.ts';
import { hasEmail } from './email.ts';
import { forMatching } from './matchable.ts';

/**
 * Which URL parameters carry secrets, by name and by value. Names are matched by their parts, not
 * against a list of whole names: `accessToken`, `auth_token`, `X-Amz-Signature` and `api-key` are
 * spelled differently on every site. A name is split at `-`, `_`, `.`, `[`, `]`, spaces and
 * lower→upper case changes, then lower-cased; it is a secret when one part is a secret word.
 * Whole words only, so `keyword`, `monkey` and `tokenize` stay.
 */
const SECRET_PARTS = new Set([
  'token',
  'tokens',
  'jwt',
  'bearer',
  'secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'passcode',
  'signature',
  'sig',
  'hmac',
  'key',
  'apikey',
  'auth',
  'oauth',
  'authorization',
  'credential',
  'credentials',
  'session',
  'sessionid',
  'sessid',
  'sid',
  'jsessionid',
  'phpsessid',
  'aspsessionid',
  'otp',
  'totp',
  'mfa',
  'csrf',
  'xsrf',
  'ticket',
]);

// One-word compounds (`accesstoken`, `clientsecret`): any word ending in these. No ordinary word
// ends in them; `key` is left out here since `monkey` and `turkey` do.
const SECRET_SUFFIX = /(token|secret|password|passwd|signature)s?$/;

// `code` alone is OAuth's authorization code, and so is `auth_code`; but `promo_code`,
// `country_code` and `zip_code` are ordinary, so `code` is a secret only beside these.
const CODE_QUALIFIERS = new Set([
  'auth',
  'oauth',
  'authorization',
  'verification',
  'verify',
  'confirm',
  'confirmation',
  'reset',
  'login',
  'mfa',
  'otp',
  'sms',
  'magic',
  'activation',
  'access',
]);

/** The parts of a parameter name, lower case. */
export function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[-_.\s[\]]+/)
    .filter((p) => p !== '');
}

/** True when a parameter of this name holds a credential or a session (matched decoded, NFKC). */
export function isSecretName(name: string): boolean {
  const parts = nameParts(forMatching(name));
  if (parts.some((p) => SECRET_PARTS.has(p) || SECRET_SUFFIX.test(p))) return true;
  return parts.includes('code') && (parts.length === 1 || parts.some((p) => CODE_QUALIFIERS.has(p)));
}

/**
 * True when `s` holds a JSON Web Token: three base64url segments joined by dots, the first a JSON
 * object (`{"` encodes as `eyJ`), the second not empty. Checked on each run of token characters,
 * so the cost is linear in the text.
 */
export function hasJwt(s: string): boolean {
  if (!s.includes('eyJ')) return false;
  for (const run of s.match(/[A-Za-z0-9_.-]+/g) ?? []) {
    // Within a run every part is base64url already; a part may be empty (`a..b`).
    const parts = run.split('.');
    for (let i = 0; i + 2 < parts.length; i++) {
      const header = parts[i] as string;
      if (header.length >= 10 && header.startsWith('eyJ') && parts[i + 1] !== '') return true;
    }
  }
  return false;
}

/**
 * True when a value is personal data or a credential whatever its name: an address, a JWT or a
 * card number, matched on the value decoded and in NFKC (`matchable.ts`).
 */
export function isSecretValue(v: string): boolean {
  const m = forMatching(v);
  return hasEmail(m) || hasJwt(m) || hasCardNumber(m);
}
