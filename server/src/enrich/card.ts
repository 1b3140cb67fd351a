/**
 * Payment card numbers in visitor text (`?cc=4111111111111111`, `/pay/4111-1111-1111-1111`): a run
 * of 13 to 19 digits, whole (no digit just before or after it), optionally grouped by single
 * spaces or hyphens, whose first digit is 2–6 (the card networks' major industry identifiers:
 * Mastercard 2 and 5, Amex, Diners and JCB 3, Visa 4, Discover and UnionPay 6) and which passes
 * the Luhn check. The first-digit rule keeps millisecond timestamps (`?_=1767225600000`) out.
 * One pass over the text, each digit visited once.
 */

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** The Luhn check over the digits (as char codes), right to left. */
function luhn(digits: readonly number[]): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = (digits[i] as number) - 0x30;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isCard(digits: readonly number[]): boolean {
  const first = (digits[0] ?? 0) - 0x30;
  return (
    digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS && first >= 2 && first <= 6 && luhn(digits)
  );
}

/** True when `s` holds a card number by the rule above. */
export function hasCardNumber(s: string): boolean {
  let digits: number[] = [];
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    if (isDigit(c)) {
      // Past 19 digits the run is no card: 20 are kept to say so, the others not stored.
      if (digits.length <= MAX_DIGITS) digits.push(c);
      continue;
    }
    // A single space or hyphen between digits groups them; anything else ends the run.
    if ((c === 0x20 || c === 0x2d) && digits.length > 0 && isDigit(s.charCodeAt(i + 1))) continue;
    if (isCard(digits)) return true;
    digits = [];
  }
  return false;
}
