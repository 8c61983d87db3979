/**
 * BFCL's AST checker for Python function calls, rule for rule (bfcl_eval/eval_checker/ast_eval/
 * ast_checker.py in ShishirPatil/gorilla): a call must name the expected function, carry every
 * required parameter and no parameter the answer does not list, and each value must pass the
 * type check against the function doc and equal one of the acceptable values; a parameter the
 * answer lists may be left out only when "" is among its acceptable values. Parallel calls are
 * matched to answers order-free, each model call used once.
 *
 * Quirks reproduced on purpose, because scores must agree with the leaderboard's:
 * - Types are Python's: an int passes for `float` (it is converted), a float never passes for
 *   `integer`, and bool is its own type. When the acceptable values have another type than the
 *   doc declares, the value is treated as a "variable" and compared with plain equality.
 * - Nested type checks go one level deep, and an optional ("") answer makes them pass.
 * - Strings are compared after `standardize_string`: lower-cased, spaces and ,./-_*^ removed,
 *   ' turned into "; list elements and dict values get the same treatment, nothing deeper.
 */
import { isPyDict, pyEquals, pyIn, pyRepr, pyType, type PyDict, type PyTypeName, type PyValue } from './python-json.js';

export interface BfclParamDoc {
  type?: string;
  items?: { type?: string };
  properties?: Record<string, BfclParamDoc>;
  [key: string]: unknown;
}

export interface BfclFunctionDoc {
  name: string;
  description?: string;
  parameters: { type?: string; properties?: Record<string, BfclParamDoc>; required?: string[] };
}

/** One model call: original (dotted) function name, Python-typed arguments. */
export interface BfclCall {
  name: string;
  args: PyDict;
}

/** One expected call: function name → parameter → acceptable values. */
export interface BfclAnswer {
  name: string;
  params: PyDict;
}

export type BfclCheck = { valid: true } | { valid: false; error: string; errorType: string };

const ok: BfclCheck = { valid: true };
const invalid = (errorType: string, error: string): BfclCheck => ({ valid: false, error, errorType });

/** PYTHON_TYPE_MAPPING in ast_checker.py; types it lacks fall back to GORILLA_TO_PYTHON's reading. */
const pythonTypes: Record<string, PyTypeName> = {
  string: 'str', integer: 'int', float: 'float', boolean: 'bool', array: 'list', tuple: 'list', dict: 'dict', any: 'str',
  number: 'float', object: 'dict', list: 'list', bool: 'bool',
};
const nestedCheckTypes = new Set(['array', 'tuple']);

function pythonTypeOf(description: string | undefined): PyTypeName {
  return pythonTypes[description ?? 'string'] ?? 'str';
}

/** `get_possible_answer_type`: the type of the first acceptable value that is not "". */
function possibleAnswerType(possible: readonly PyValue[]): PyTypeName | null {
  for (const answer of possible) if (answer !== '') return pyType(answer);
  return null;
}

function asList(value: PyValue | undefined): PyValue[] {
  return Array.isArray(value) ? value : [];
}

interface TypeCheck {
  valid: boolean;
  isVariable: boolean;
  error?: string;
  errorType?: string;
}

function typeCheck(param: string, value: PyValue, possible: readonly PyValue[], expected: PyTypeName, nested: PyTypeName | null): TypeCheck {
  const result: TypeCheck = { valid: true, isVariable: false };
  const answerType = possibleAnswerType(possible);
  const isVariable = answerType !== null && answerType !== expected;
  if (pyType(value) === expected) {
    if (nested === null) return { valid: true, isVariable };
    for (const answer of possible) {
      let allItemsFit = true;
      if (Array.isArray(answer)) {
        for (const item of value as PyValue[]) {
          if (!typeCheck(param, item, answer, nested, null).valid) {
            allItemsFit = false;
            break;
          }
        }
      }
      if (allItemsFit) return { valid: true, isVariable };
    }
    result.valid = false;
    result.error = `Nested type checking failed for parameter '${param}'. Expected inner type ${nested}. Parameter value: ${pyRepr(value)}.`;
    result.errorType = 'type_error:nested';
  }
  if (answerType !== null && pyType(value) === answerType) return { ...result, isVariable: true };
  return { valid: false, isVariable: result.isVariable, error: `Incorrect type for parameter '${param}'. Expected type ${expected}, got ${pyType(value)}. Parameter value: ${pyRepr(value)}.`, errorType: 'type_error:simple' };
}

/** `standardize_string` in ast_checker.py. */
export function standardizeString(text: string): string {
  return text.replace(/[ ,./\-_*^]/g, '').toLowerCase().replace(/'/g, '"');
}

const standardized = (value: PyValue): PyValue => (typeof value === 'string' ? standardizeString(value) : value);

function stringCheck(param: string, value: string, possible: readonly PyValue[]): BfclCheck {
  const candidates = possible.filter((answer): answer is string => typeof answer === 'string').map(standardizeString);
  return candidates.includes(standardizeString(value)) ? ok : invalid('value_error:string', `Invalid value for parameter '${param}': ${pyRepr(value)}. Expected one of ${pyRepr([...possible])}. Case insensitive.`);
}

/** A string answer iterates as its characters in Python; "" (optional) becomes the empty list. */
function listItems(answer: PyValue): PyValue[] {
  if (Array.isArray(answer)) return answer;
  if (typeof answer === 'string') return [...answer];
  return [];
}

function listCheck(param: string, value: PyValue[], possible: readonly PyValue[]): BfclCheck {
  const output = value.map(standardized);
  const candidates = possible.map((answer) => listItems(answer).map(standardized));
  return pyIn(output, candidates) ? ok : invalid('value_error:list/tuple', `Invalid value for parameter '${param}': ${pyRepr(value)}. Expected one of ${pyRepr([...possible])}.`);
}

function dictCheck(param: string, value: PyValue, possible: readonly PyValue[]): BfclCheck {
  let result: BfclCheck = invalid('dict_checker:unclear', `Invalid value for parameter '${param}'.`);
  if (!isPyDict(value)) return result;
  for (const answer of possible) {
    if (answer === '') continue;
    if (!isPyDict(answer)) continue;
    result = invalid('dict_checker:unclear', `Invalid value for parameter '${param}'.`);
    let fits = true;
    for (const [key, item] of value) {
      if (!answer.has(key)) {
        result = invalid('value_error:dict_key', `Unexpected dict key parameter: '${key}'.`);
        fits = false;
        break;
      }
      const acceptable = asList(answer.get(key)).map(standardized);
      if (!pyIn(standardized(item), acceptable)) {
        result = invalid('value_error:dict_value', `Invalid value for parameter '${key}': ${pyRepr(item)}. Expected one of ${pyRepr(acceptable)}.`);
        fits = false;
        break;
      }
    }
    for (const [key, acceptable] of answer) {
      if (!value.has(key) && !pyIn('', asList(acceptable))) {
        result = invalid('value_error:dict_key', `Missing dict key parameter: '${key}'.`);
        fits = false;
        break;
      }
    }
    if (fits) return ok;
  }
  return result;
}

function listDictCheck(param: string, value: PyValue[], possible: readonly PyValue[]): BfclCheck {
  let result: BfclCheck = invalid('list_dict_checker:unclear', `Invalid value for parameter '${param}'.`);
  for (const answer of possible) {
    const expected = listItems(answer);
    if (value.length !== expected.length) {
      result = invalid('value_error:list_dict_count', 'Wrong number of dictionaries in the list.');
      continue;
    }
    let fits = true;
    for (let index = 0; index < value.length; index += 1) {
      result = dictCheck(param, value[index] as PyValue, [expected[index] as PyValue]);
      if (!result.valid) {
        fits = false;
        break;
      }
    }
    if (fits) return ok;
  }
  return result;
}

/** `simple_function_checker`: one model call against one expected call. */
export function checkSimpleCall(doc: BfclFunctionDoc, call: BfclCall, answer: BfclAnswer): BfclCheck {
  const properties = doc.parameters.properties ?? {};
  if (call.name !== doc.name) return invalid('simple_function_checker:wrong_func_name', `Function name '${doc.name}' not found in model output.`);
  for (const param of doc.parameters.required ?? []) {
    if (!call.args.has(param)) return invalid('simple_function_checker:missing_required', `Missing required parameter: '${param}'.`);
  }
  for (const [param, rawValue] of call.args) {
    const detail = Object.hasOwn(properties, param) ? properties[param] : undefined;
    if (!detail || !answer.params.has(param)) return invalid('simple_function_checker:unexpected_param', `Unexpected parameter: '${param}'.`);
    const possible = asList(answer.params.get(param));
    const description = detail.type ?? 'string';
    const expected = pythonTypeOf(description);
    const nested = nestedCheckTypes.has(description) ? pythonTypeOf(detail.items?.type) : null;
    // Python converts an int to float where a float is declared (ast_checker: "auto conversion").
    const value: PyValue = description === 'float' && typeof rawValue === 'bigint' ? Number(rawValue) : rawValue;
    const types = typeCheck(param, value, possible, expected, nested);
    if (!types.valid) return invalid(types.errorType ?? 'type_error:simple', types.error ?? `Incorrect type for parameter '${param}'.`);
    if (!types.isVariable) {
      let special: BfclCheck | null = null;
      if (expected === 'dict') special = dictCheck(param, value, possible);
      else if (expected === 'list' && nested === 'dict') special = listDictCheck(param, value as PyValue[], possible);
      else if (expected === 'str') special = stringCheck(param, value as string, possible);
      else if (expected === 'list') special = listCheck(param, value as PyValue[], possible);
      if (special) {
        if (!special.valid) return special;
        continue;
      }
    }
    if (!pyIn(value, possible)) return invalid('value_error:others', `Invalid value for parameter '${param}': ${pyRepr(value)}. Expected one of ${pyRepr(possible)}.`);
  }
  for (const [param, acceptable] of answer.params) {
    if (!call.args.has(param) && !pyIn('', asList(acceptable))) {
      return invalid('simple_function_checker:missing_optional', `Optional parameter '${param}' not provided and not marked as optional.`);
    }
  }
  return ok;
}

function findDoc(docs: readonly BfclFunctionDoc[], name: string): BfclFunctionDoc | undefined {
  return docs.find((doc) => doc.name === name);
}

function checkAgainst(docs: readonly BfclFunctionDoc[], call: BfclCall, answer: BfclAnswer): BfclCheck {
  const doc = findDoc(docs, answer.name);
  return doc ? checkSimpleCall(doc, call, answer) : invalid('checker:missing_doc', `No function doc named '${answer.name}'.`);
}

function checkParallel(docs: readonly BfclFunctionDoc[], calls: readonly BfclCall[], answers: readonly BfclAnswer[]): BfclCheck {
  if (calls.length !== answers.length) return invalid('parallel_function_checker_no_order:wrong_count', 'Wrong number of functions.');
  const matched = new Set<number>();
  for (const [answerIndex, answer] of answers.entries()) {
    let found = false;
    let lastError = '';
    for (const [index, call] of calls.entries()) {
      if (matched.has(index)) continue;
      const result = checkAgainst(docs, call, answer);
      if (result.valid) {
        matched.add(index);
        found = true;
        break;
      }
      lastError = result.error;
    }
    if (!found) return invalid('parallel_function_checker_no_order:cannot_find_match', `Could not find a matching function for expected call ${answerIndex} (${answer.name}). ${lastError}`.trim());
  }
  return ok;
}

/** `ast_checker` dispatch by category name, as upstream: "parallel" first, then "multiple". */
export function checkBfclCalls(category: string, docs: readonly BfclFunctionDoc[], calls: readonly BfclCall[], answers: readonly BfclAnswer[]): BfclCheck {
  if (category.includes('parallel')) return checkParallel(docs, calls, answers);
  if (category.includes('multiple')) {
    if (calls.length !== answers.length || answers.length === 0) return invalid('multiple_function_checker:wrong_count', 'Wrong number of functions.');
    return checkAgainst(docs, calls[0] as BfclCall, answers[0] as BfclAnswer);
  }
  if (calls.length !== 1) return invalid('simple_function_checker:wrong_count', 'Wrong number of functions.');
  const doc = docs[0];
  const answer = answers[0];
  if (!doc || !answer) return invalid('checker:missing_doc', 'No function doc or answer.');
  return checkSimpleCall(doc, calls[0] as BfclCall, answer);
}

export { pyEquals };
