/**
 * Arbiter's format for user suites, YAML or JSONL, validated with zod; errors name the field
 * (`tests[2].assert[0].value`). YAML holds a whole suite with suite-level defaults; JSONL holds
 * one test per line. A test has `prompt` or `messages`, `vars` for `{{name}}` templates, optional
 * `tools` and `response_format`, and `assert`: a list of assertions (see graders/assertion.ts).
 *
 *   name: support-tone
 *   defaults: { system: "You are terse.", assert: [{ type: regex, value: "\\S" }] }
 *   tests:
 *     - prompt: "Say hello to {{name}}"
 *       vars: { name: Ada }
 *       assert: [{ type: icontains, value: ada }, { type: contains, value: "!", not: true }]
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { chatMessageSchema, formatParamPath, responseFormatSchema, toolSchema, type ChatMessage } from '../../core/chat-request.js';
import { ArbiterError } from '../../core/errors.js';
import { assertionSchema } from '../graders/assertion.js';
import { createAssertionsGrader, type AssertionsReference } from '../graders/assertions.js';
import type { EvalItem, EvalTaskKind, Suite } from '../types.js';
import type { SuiteLoadOptions } from './load-options.js';
import { parseJsonLines } from './read-jsonl.js';
import { sampleItems } from './sample-items.js';

const varsSchema = z.record(z.string(), z.unknown());
const kindSchema = z.enum(['code', 'qa', 'tools', 'structured', 'chat']);

export const customTestSchema = z.strictObject({
  id: z.string().min(1).optional(),
  description: z.string().optional(),
  prompt: z.string().min(1).optional(),
  messages: z.array(chatMessageSchema).min(1).optional(),
  vars: varsSchema.optional(),
  tools: z.array(toolSchema).optional(),
  response_format: responseFormatSchema.optional(),
  assert: z.array(assertionSchema).optional(),
}).superRefine((test, context) => {
  if ((test.prompt === undefined) === (test.messages === undefined)) {
    context.addIssue({ code: 'custom', path: ['prompt'], message: "a test needs exactly one of 'prompt' or 'messages'" });
  }
});

export const customSuiteSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  kind: kindSchema.optional(),
  defaults: z.strictObject({
    system: z.string().optional(),
    vars: varsSchema.optional(),
    tools: z.array(toolSchema).optional(),
    response_format: responseFormatSchema.optional(),
    assert: z.array(assertionSchema).optional(),
    /** Extra request fields for every test (temperature, max_tokens...). */
    request: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
  tests: z.array(customTestSchema).min(1),
});

export type CustomTest = z.infer<typeof customTestSchema>;
export type CustomSuiteFile = z.infer<typeof customSuiteSchema>;

function invalid(source: string, error: z.ZodError): ArbiterError {
  const issue = error.issues[0];
  const field = issue ? formatParamPath(issue.path) : '';
  return new ArbiterError('invalid_request', `Invalid custom suite ${source}: ${field ? `'${field}': ` : ''}${issue?.message ?? 'invalid'}`, { param: field || null });
}

export function parseCustomSuiteYaml(text: string, source = 'suite.yaml'): CustomSuiteFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ArbiterError('invalid_request', `Invalid custom suite ${source}: not YAML (${(error as Error).message})`);
  }
  const parsed = customSuiteSchema.safeParse(raw);
  if (!parsed.success) throw invalid(source, parsed.error);
  return parsed.data;
}

export function parseCustomSuiteJsonl(text: string, source = 'suite.jsonl'): CustomSuiteFile {
  return { tests: parseJsonLines(text, customTestSchema, source) };
}

/** Replaces `{{ name }}` with the variable (non-strings as JSON); an unknown name is an error. */
export function renderTemplate(template: string, vars: Record<string, unknown>, where: string): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, (_match, name: string) => {
    if (!Object.hasOwn(vars, name)) throw new ArbiterError('invalid_request', `${where}: template variable '${name}' is not defined in vars`, { param: `${where}.vars.${name}` });
    const value = vars[name];
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

function renderMessage(message: ChatMessage, vars: Record<string, unknown>, where: string): ChatMessage {
  if (typeof message.content === 'string') return { ...message, content: renderTemplate(message.content, vars, where) } as ChatMessage;
  if (Array.isArray(message.content)) {
    const content = message.content.map((part) => (part.type === 'text' ? { ...part, text: renderTemplate(part.text, vars, where) } : part));
    return { ...message, content } as ChatMessage;
  }
  return message;
}

export function customItems(file: CustomSuiteFile, suite: string): EvalItem[] {
  const defaults = file.defaults ?? {};
  const kind: EvalTaskKind = file.kind ?? 'chat';
  return file.tests.map((test, index) => {
    const where = `tests[${index}]`;
    const vars = { ...defaults.vars, ...test.vars };
    const messages: ChatMessage[] = test.messages ?? [{ role: 'user', content: test.prompt ?? '' }];
    const rendered = messages.map((message) => renderMessage(message, vars, where));
    if (defaults.system && rendered[0]?.role !== 'system') rendered.unshift({ role: 'system', content: renderTemplate(defaults.system, vars, 'defaults.system') });
    const tools = test.tools ?? defaults.tools;
    const responseFormat = test.response_format ?? defaults.response_format;
    const reference: AssertionsReference = { assertions: [...(defaults.assert ?? []), ...(test.assert ?? [])], vars };
    return {
      id: test.id ?? `${suite}/${index + 1}`,
      suite,
      kind,
      request: { ...defaults.request, messages: rendered, ...(tools ? { tools } : {}), ...(responseFormat ? { response_format: responseFormat } : {}) },
      reference,
    };
  });
}

export function customSuite(file: CustomSuiteFile, options: SuiteLoadOptions & { name?: string } = {}): Suite {
  const name = options.name ?? file.name ?? 'custom';
  const grader = createAssertionsGrader(options.services);
  const items = customItems(file, name);
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new ArbiterError('invalid_request', `Invalid custom suite ${name}: duplicate test id '${item.id}'`, { param: 'tests.id' });
    ids.add(item.id);
  }
  return {
    name,
    kind: file.kind ?? 'chat',
    description: file.description ?? `custom suite ${name}`,
    items: sampleItems(items, options),
    graderFor: () => grader,
  };
}

export function loadCustomSuite(path: string, options: SuiteLoadOptions & { name?: string } = {}): Suite {
  const text = readFileSync(path, 'utf8');
  const extension = extname(path).toLowerCase();
  const file = extension === '.jsonl' || extension === '.json' ? parseCustomSuiteJsonl(text, path) : parseCustomSuiteYaml(text, path);
  return customSuite(file, { ...options, name: options.name ?? file.name ?? basename(path, extension) });
}
