/**
 * JSON Schema → the OpenAPI-subset Schema Gemini's `responseSchema` and function `parameters`
 * accept. Keywords it rejects are dropped, `type: [T, 'null']` and `anyOf [..., {type:null}]`
 * become `nullable`, `const` becomes a one-value enum, and string / number formats outside
 * the supported few are dropped (Gemini answers 400 "only 'enum' and 'date-time' are
 * supported for STRING type" otherwise).
 * https://ai.google.dev/api/caching#Schema
 */
const unsupportedKeys = new Set(['additionalProperties', '$schema', 'strict', '$id', '$defs', 'definitions', 'examples', 'default', 'title', '$comment']);
const stringFormats = new Set(['enum', 'date-time']);
const numberFormats = new Set(['int32', 'int64', 'float', 'double']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullSchema(value: unknown): boolean {
  return isRecord(value) && value.type === 'null';
}

function keepFormat(type: unknown, format: unknown): boolean {
  if (typeof format !== 'string') return false;
  if (type === 'string') return stringFormats.has(format);
  if (type === 'number' || type === 'integer') return numberFormats.has(format);
  return false;
}

export function toGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toGeminiSchema);
  if (!isRecord(schema)) return schema;
  // anyOf [X, {type: null}] is how Zod and Pydantic spell "X or null".
  if (Array.isArray(schema.anyOf) && schema.anyOf.some(isNullSchema)) {
    const rest = schema.anyOf.filter((option) => !isNullSchema(option));
    const { anyOf: _drop, ...others } = schema;
    const inner = rest.length === 1 && isRecord(rest[0]) ? { ...others, ...rest[0] } : { ...others, anyOf: rest };
    return { ...(toGeminiSchema(inner) as Record<string, unknown>), nullable: true };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (unsupportedKeys.has(key)) continue;
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((type) => type !== 'null');
      out.type = types[0] ?? 'string';
      if (types.length < value.length) out.nullable = true;
    } else if (key === 'const') {
      out.enum = [String(value)];
    } else if (key === 'format') {
      const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
      if (keepFormat(type, value)) out.format = value;
    } else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toGeminiSchema(sub)]));
    } else {
      out[key] = toGeminiSchema(value);
    }
  }
  if (out.enum !== undefined && out.type === undefined) out.type = 'string';
  return out;
}
