/**
 * OpenAI-compatible vendors as data: base URL, key variable and quirks. A new vendor is a
 * row; a new kind of quirk is a named hook in the shared adapter.
 */
export interface PresetQuirks {
  /** Vendors that reject the `developer` role take it as `system`. */
  developerRole?: 'system';
  /** Where the vendor streams its reasoning text (DeepSeek: `reasoning_content`). */
  reasoningField?: string;
  /** Vendors that reject `stream_options`. */
  noStreamUsage?: boolean;
  /** Vendors that only know `max_tokens`. */
  maxTokensField?: 'max_tokens';
  /** Vendors that take `reasoning_content` back on assistant messages (others get it removed). */
  reasoningInHistory?: boolean;
  /** Vendors that take `reasoning_details` back on assistant messages (OpenRouter: Claude's signed thinking). */
  reasoningDetailsInHistory?: boolean;
  /** Vendors that take `tool_calls[].extra_content` back (Gemini's OpenAI endpoint: thought signatures). */
  toolCallExtraContent?: boolean;
}

export interface Preset {
  baseUrl: string;
  /** Environment variable holding the key; absent for keyless local servers. */
  apiKeyEnv?: string;
  local?: boolean;
  quirks: PresetQuirks;
  docs: string;
}

// Reasoning vendors that document taking reasoning_content back on assistant turns.
const reasoningVendor: PresetQuirks = { developerRole: 'system', reasoningField: 'reasoning_content', reasoningInHistory: true };

export const presets: Record<string, Preset> = {
  deepseek: { baseUrl: 'https://api.deepseek.com/v1', apiKeyEnv: 'DEEPSEEK_API_KEY', quirks: { ...reasoningVendor, maxTokensField: 'max_tokens' }, docs: 'https://api-docs.deepseek.com/guides/thinking_mode' },
  'qwen-intl': { baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', apiKeyEnv: 'DASHSCOPE_API_KEY', quirks: reasoningVendor, docs: 'https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope' },
  'qwen-cn': { baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', apiKeyEnv: 'DASHSCOPE_API_KEY', quirks: reasoningVendor, docs: 'https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope' },
  moonshot: { baseUrl: 'https://api.moonshot.ai/v1', apiKeyEnv: 'MOONSHOT_API_KEY', quirks: { ...reasoningVendor, maxTokensField: 'max_tokens' }, docs: 'https://platform.moonshot.ai/docs' },
  'moonshot-cn': { baseUrl: 'https://api.moonshot.cn/v1', apiKeyEnv: 'MOONSHOT_API_KEY', quirks: { ...reasoningVendor, maxTokensField: 'max_tokens' }, docs: 'https://platform.moonshot.cn/docs' },
  zhipu: { baseUrl: 'https://open.bigmodel.cn/api/paas/v4', apiKeyEnv: 'ZHIPUAI_API_KEY', quirks: { ...reasoningVendor, maxTokensField: 'max_tokens' }, docs: 'https://docs.bigmodel.cn/' },
  // Z.ai is Zhipu's international platform for the same GLM models.
  zai: { baseUrl: 'https://api.z.ai/api/paas/v4', apiKeyEnv: 'ZAI_API_KEY', quirks: { ...reasoningVendor, maxTokensField: 'max_tokens' }, docs: 'https://docs.z.ai/' },
  minimax: { baseUrl: 'https://api.minimax.io/v1', apiKeyEnv: 'MINIMAX_API_KEY', quirks: { developerRole: 'system', maxTokensField: 'max_tokens' }, docs: 'https://platform.minimax.io/docs' },
  'minimax-cn': { baseUrl: 'https://api.minimaxi.com/v1', apiKeyEnv: 'MINIMAX_API_KEY', quirks: { developerRole: 'system', maxTokensField: 'max_tokens' }, docs: 'https://platform.minimaxi.com/docs' },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKeyEnv: 'MISTRAL_API_KEY', quirks: { developerRole: 'system', noStreamUsage: true, maxTokensField: 'max_tokens' }, docs: 'https://docs.mistral.ai/api/' },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY', quirks: { developerRole: 'system', reasoningField: 'reasoning' }, docs: 'https://console.groq.com/docs/openai' },
  together: { baseUrl: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY', quirks: { developerRole: 'system' }, docs: 'https://docs.together.ai/docs/openai-api-compatibility' },
  fireworks: { baseUrl: 'https://api.fireworks.ai/inference/v1', apiKeyEnv: 'FIREWORKS_API_KEY', quirks: { developerRole: 'system', reasoningField: 'reasoning_content' }, docs: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility' },
  // reasoning_details is OpenRouter's own field: https://openrouter.ai/docs/use-cases/reasoning-tokens#preserving-reasoning-blocks
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY', quirks: { reasoningField: 'reasoning', reasoningDetailsInHistory: true }, docs: 'https://openrouter.ai/docs/api-reference/overview' },
  // Google's own OpenAI-compatible endpoint; thought signatures ride in tool_calls[].extra_content.
  'gemini-openai': { baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', apiKeyEnv: 'GEMINI_API_KEY', quirks: { toolCallExtraContent: true }, docs: 'https://ai.google.dev/gemini-api/docs/openai' },
  ollama: { baseUrl: 'http://localhost:11434/v1', local: true, quirks: { developerRole: 'system', reasoningField: 'reasoning' }, docs: 'https://github.com/ollama/ollama/blob/main/docs/openai.md' },
  // vLLM renamed reasoning_content to reasoning in 0.11; the adapter reads either.
  vllm: { baseUrl: 'http://localhost:8000/v1', apiKeyEnv: 'VLLM_API_KEY', local: true, quirks: { reasoningField: 'reasoning' }, docs: 'https://docs.vllm.ai/en/stable/serving/openai_compatible_server.html' },
  llamacpp: { baseUrl: 'http://localhost:8080/v1', apiKeyEnv: 'LLAMA_API_KEY', local: true, quirks: { developerRole: 'system', reasoningField: 'reasoning_content', reasoningInHistory: true }, docs: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/server' },
  lmstudio: { baseUrl: 'http://localhost:1234/v1', local: true, quirks: { developerRole: 'system', reasoningField: 'reasoning_content' }, docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai' },
};
