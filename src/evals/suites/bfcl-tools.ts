/**
 * BFCL function docs → OpenAI tools, as BFCL's own OpenAI handler sends them
 * (`convert_to_tool` / `_cast_to_openai_type` in bfcl_eval/model_handler/utils.py with
 * GORILLA_TO_OPENAPI): "dict" → object, "float" → number (plus `format: float` and a note in
 * the description), "tuple" → array, "any" → string, unknown or missing types → string; nested
 * properties and item types are converted the same way. Dots are not allowed in OpenAI tool
 * names (^[a-zA-Z0-9_-]{1,64}$), so `math.factorial` is sent as `math_factorial` and a reverse
 * map turns the model's calls back into original names for the checker.
 */
import type { Tool } from '../../core/chat-request.js';
import type { BfclFunctionDoc } from '../graders/bfcl-checker.js';

const gorillaToOpenApi: Record<string, string> = {
  integer: 'integer', number: 'number', float: 'number', string: 'string', boolean: 'boolean', bool: 'boolean',
  array: 'array', list: 'array', dict: 'object', object: 'object', tuple: 'array', any: 'string',
  byte: 'integer', short: 'integer', long: 'integer', double: 'number', char: 'string', ArrayList: 'array',
  Array: 'array', HashMap: 'object', Hashtable: 'object', Queue: 'array', Stack: 'array', Any: 'string',
  String: 'string', Bigint: 'integer',
};

type Schema = Record<string, unknown>;

const isRecord = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const mapType = (type: unknown): string => (typeof type === 'string' ? gorillaToOpenApi[type] ?? 'string' : 'string');

function convertProperty(source: Schema): Schema {
  const property: Schema = { ...source };
  if (property.type === undefined) {
    property.type = 'string';
  } else {
    if (property.type === 'float') {
      property.format = 'float';
      property.description = `${typeof property.description === 'string' ? property.description : ''} This is a float type value.`.trimStart();
    }
    property.type = mapType(property.type);
  }
  if (property.type === 'array' || property.type === 'object') {
    if (isRecord(property.properties)) {
      property.properties = convertProperties(property.properties);
    } else if (isRecord(property.items)) {
      const items: Schema = { ...property.items, type: mapType(property.items.type) };
      if (items.type === 'array' && isRecord(items.items)) items.items = { ...items.items, type: mapType(items.items.type) };
      else if (items.type === 'object' && isRecord(items.properties)) items.properties = convertProperties(items.properties);
      property.items = items;
    }
  }
  return property;
}

export function convertProperties(properties: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(properties)) out[key] = convertProperty(isRecord(value) ? value : {});
  return out;
}

export interface BfclTools {
  tools: Tool[];
  /** Name sent to the model → original BFCL name. */
  toolNames: Record<string, string>;
}

export function toOpenAiToolName(name: string): string {
  return name.replace(/\./g, '_');
}

export function bfclToOpenAiTools(functions: readonly BfclFunctionDoc[]): BfclTools {
  const toolNames: Record<string, string> = {};
  const tools = functions.map((doc): Tool => {
    let sent = toOpenAiToolName(doc.name);
    // Two originals that differ only by '.' vs '_' would collide: keep the names unique.
    for (let suffix = 2; Object.hasOwn(toolNames, sent) && toolNames[sent] !== doc.name; suffix += 1) sent = `${toOpenAiToolName(doc.name)}_${suffix}`;
    toolNames[sent] = doc.name;
    const parameters: Schema = { ...doc.parameters, type: 'object', properties: convertProperties(isRecord(doc.parameters.properties) ? doc.parameters.properties : {}) };
    return { type: 'function', function: { name: sent, ...(doc.description !== undefined ? { description: doc.description } : {}), parameters } };
  });
  return { tools, toolNames };
}
