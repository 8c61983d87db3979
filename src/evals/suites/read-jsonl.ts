/**
 * JSON Lines with zod per line: blank lines are skipped (BFCL files end without a newline,
 * some with), and an error names the file, the line and the field.
 */
import type { z } from 'zod';
import { ArbiterError } from '../../core/errors.js';
import { formatParamPath } from '../../core/chat-request.js';

export function parseJsonLines<T>(text: string, schema: z.ZodType<T>, source: string): T[] {
  const records: T[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ArbiterError('invalid_request', `${source}:${index + 1}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue ? formatParamPath(issue.path) : '';
      throw new ArbiterError('invalid_request', `${source}:${index + 1}: ${field ? `field '${field}': ` : ''}${issue?.message ?? 'invalid record'}`, { param: field || null });
    }
    records.push(parsed.data);
  }
  return records;
}
