/**
 * Pulls the program out of a model's answer: a fenced block when there is one (preferring the
 * block that defines the function under test), otherwise the raw text. A final fence the
 * model never closed (cut off by max_tokens) still counts.
 */
const fence = /```[ \t]*([A-Za-z0-9_+#.-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
const pythonTags = new Set(['', 'python', 'py', 'python3', 'py3']);

export interface CodeBlock {
  lang: string;
  code: string;
}

export function extractCodeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const match of text.matchAll(fence)) {
    blocks.push({ lang: (match[1] ?? '').toLowerCase(), code: match[2] ?? '' });
  }
  return blocks;
}

/** True when `code` defines `name` (at column 0 only, with `topLevel`). */
export function definesFunction(code: string, name: string, topLevel = false): boolean {
  const indent = topLevel ? '' : '[ \\t]*';
  return new RegExp(`^${indent}(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(name)}[ \\t]*\\(`, 'm').test(code);
}

export function extractPythonCode(text: string, entryPoint?: string): string {
  const blocks = extractCodeBlocks(text).filter((block) => pythonTags.has(block.lang));
  if (blocks.length === 0) return stripStrayFences(text);
  const defining = entryPoint ? blocks.find((block) => definesFunction(block.code, entryPoint)) : undefined;
  if (defining) return defining.code;
  const longest = blocks.reduce((best, block) => (block.code.length > best.code.length ? block : best));
  return longest.code;
}

function stripStrayFences(text: string): string {
  return text.replace(/^```.*$/gm, '');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
