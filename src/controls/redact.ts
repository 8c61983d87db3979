/**
 * Redaction for stored prompt and response bodies: emails, phone numbers, Luhn-valid card
 * numbers and API-key-shaped strings become `[redacted:<kind>]`.
 */
const keyPattern = /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|arb_[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|(?:ghp|gho|xox[abp])_?[A-Za-z0-9-]{20,}|AKIA[0-9A-Z]{16})/g;
const emailPattern = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
// 13-19 digits, optionally grouped by single spaces or dashes.
const cardPattern = /\b\d(?:[ -]?\d){12,18}\b/g;
// International (+CC ...) or North-American style numbers with separators.
// Not part of a longer digit run (card-like numbers that fail Luhn stay as they are).
const phonePattern = /(?<![\d+][\s.-]?)(?:(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]\d{3,4}[\s.-]\d{3,4}|\+\d{8,15})(?![\s.-]?\d)/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

export function redact(text: string): string {
  return text
    .replace(keyPattern, '[redacted:key]')
    .replace(emailPattern, '[redacted:email]')
    .replace(cardPattern, (match) => (luhnValid(match.replace(/[ -]/g, '')) ? '[redacted:card]' : match))
    .replace(phonePattern, (match) => (match.replace(/\D/g, '').length >= 8 ? '[redacted:phone]' : match));
}
