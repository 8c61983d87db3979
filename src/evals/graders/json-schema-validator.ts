/**
 * A compact JSON Schema validator for the subset structured outputs use (OpenAI's strict mode
 * subset plus common constraints): type (one or a list, `integer` = whole number), nullable
 * (OpenAPI style), properties / required / additionalProperties, enum, const, items,
 * minItems / maxItems, minLength / maxLength / pattern, minimum / maximum / exclusive*,
 * format (date, date-time, time, email, uri, uuid: basic checks), anyOf / oneOf / allOf / not,
 * and local `$ref` (`#/$defs/...`, `#/definitions/...`). Unknown keywords are ignored, as the
 * spec says. Reference: https://json-schema.org/draft/2020-12/json-schema-validation
 */
export interface SchemaIssue {
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = jsonTypeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

/** Structural equality for enum/const (JSON values only). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => jsonEquals(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]));
  }
  return false;
}

function isValidDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const formats: Record<string, (text: string) => boolean> = {
  date: isValidDate,
  'date-time': (text) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(text) && isValidDate(text.slice(0, 10)),
  time: (text) => /^([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?$/.test(text),
  email: (text) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text),
  uri: (text) => /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(text),
  uuid: (text) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(text),
};

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  return isObject(node) ? node : undefined;
}

export function validateJsonSchema(value: unknown, schema: unknown): SchemaIssue[] {
  const root = isObject(schema) ? schema : {};
  const issues: SchemaIssue[] = [];
  validate(value, root, '$', root, issues, 0);
  return issues;
}

function validate(value: unknown, schema: unknown, path: string, root: Schema, issues: SchemaIssue[], depth: number): void {
  if (schema === true || schema === undefined) return;
  if (schema === false) {
    issues.push({ path, message: 'no value is allowed here' });
    return;
  }
  if (!isObject(schema) || depth > 64) return;
  const add = (message: string, at = path): void => {
    issues.push({ path: at, message });
  };
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    if (!target) add(`unresolvable $ref ${schema.$ref}`);
    else validate(value, target, path, root, issues, depth + 1);
  }
  if (value === null && schema.nullable === true) return;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type.map(String) : [String(schema.type)];
    if (!types.some((type) => matchesType(value, type))) {
      add(`expected ${types.join(' or ')}, got ${jsonTypeOf(value)}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => jsonEquals(option, value))) add(`must be one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && !jsonEquals(schema.const, value)) add(`must equal ${JSON.stringify(schema.const)}`);
  validateCombinators(value, schema, path, root, issues, depth);
  if (typeof value === 'string') validateString(value, schema, add);
  if (typeof value === 'number') validateNumber(value, schema, add);
  if (Array.isArray(value)) validateArray(value, schema, path, root, issues, depth);
  if (isObject(value)) validateObject(value, schema, path, root, issues, depth);
}

function validateCombinators(value: unknown, schema: Schema, path: string, root: Schema, issues: SchemaIssue[], depth: number): void {
  const passes = (candidate: unknown): boolean => {
    const found: SchemaIssue[] = [];
    validate(value, candidate, path, root, found, depth + 1);
    return found.length === 0;
  };
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) validate(value, part, path, root, issues, depth + 1);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some(passes)) issues.push({ path, message: 'matches none of anyOf' });
  if (Array.isArray(schema.oneOf)) {
    const matches = schema.oneOf.filter(passes).length;
    if (matches !== 1) issues.push({ path, message: `must match exactly one of oneOf (matched ${matches})` });
  }
  if (schema.not !== undefined && passes(schema.not)) issues.push({ path, message: 'must not match the "not" schema' });
}

function validateString(value: string, schema: Schema, add: (message: string) => void): void {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) add(`shorter than ${schema.minLength}`);
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) add(`longer than ${schema.maxLength}`);
  if (typeof schema.pattern === 'string') {
    let pattern: RegExp | null = null;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      add(`invalid pattern ${schema.pattern}`);
    }
    if (pattern && !pattern.test(value)) add(`does not match ${schema.pattern}`);
  }
  const check = typeof schema.format === 'string' ? formats[schema.format] : undefined;
  if (check && !check(value)) add(`not a valid ${String(schema.format)}`);
}

function validateNumber(value: number, schema: Schema, add: (message: string) => void): void {
  if (typeof schema.minimum === 'number' && value < schema.minimum) add(`less than ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum) add(`greater than ${schema.maximum}`);
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) add(`not greater than ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) add(`not less than ${schema.exclusiveMaximum}`);
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0 && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9) add(`not a multiple of ${schema.multipleOf}`);
}

function validateArray(value: unknown[], schema: Schema, path: string, root: Schema, issues: SchemaIssue[], depth: number): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) issues.push({ path, message: `fewer than ${schema.minItems} items` });
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) issues.push({ path, message: `more than ${schema.maxItems} items` });
  if (schema.uniqueItems === true && value.some((item, index) => value.findIndex((other) => jsonEquals(other, item)) !== index)) issues.push({ path, message: 'items are not unique' });
  if (schema.items !== undefined && !Array.isArray(schema.items)) value.forEach((item, index) => validate(item, schema.items, `${path}[${index}]`, root, issues, depth + 1));
}

function validateObject(value: Record<string, unknown>, schema: Schema, path: string, root: Schema, issues: SchemaIssue[], depth: number): void {
  const properties = isObject(schema.properties) ? schema.properties : {};
  if (Array.isArray(schema.required)) {
    for (const key of schema.required) if (typeof key === 'string' && !Object.hasOwn(value, key)) issues.push({ path: `${path}.${key}`, message: 'is required' });
  }
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (Object.hasOwn(properties, key)) validate(item, properties[key], at, root, issues, depth + 1);
    else if (schema.additionalProperties === false) issues.push({ path: at, message: 'is not allowed (additionalProperties: false)' });
    else if (isObject(schema.additionalProperties)) validate(item, schema.additionalProperties, at, root, issues, depth + 1);
  }
  if (typeof schema.minProperties === 'number' && Object.keys(value).length < schema.minProperties) issues.push({ path, message: `fewer than ${schema.minProperties} properties` });
  if (typeof schema.maxProperties === 'number' && Object.keys(value).length > schema.maxProperties) issues.push({ path, message: `more than ${schema.maxProperties} properties` });
}
