/**
 * One pino logger for the process. Anything that could hold a secret is redacted by path,
 * and `redactSecrets` scrubs key-shaped strings out of free text (upstream error bodies).
 */
import { pino, type Logger } from 'pino';

const redactPaths = [
  'apiKey', '*.apiKey', '*.*.apiKey', 'authorization', '*.authorization', 'headers.authorization',
  'headers["x-api-key"]', 'headers["x-goog-api-key"]', 'req.headers.authorization', 'key', '*.key', 'masterKey',
];

export function createLogger(level = process.env.ARBITER_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: undefined });
}

export const logger: Logger = createLogger();

// Bearer tokens and the key shapes of the providers we speak to (sk-, sk-ant-, AIza, arb_...).
const secretPattern = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}|\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|arb_[A-Za-z0-9_-]{8,})/g;

export function redactSecrets(text: string): string {
  return text.replace(secretPattern, (_match, bearer: string | undefined) => (bearer ? `${bearer}[redacted]` : '[redacted]'));
}
