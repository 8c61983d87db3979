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
}

export interface Preset {
  baseUrl: string;
  /** Environment variable holding the key; absent for keyless local servers. */
  apiKeyEnv?: string;
  local?: boolean;
  quirks: PresetQuirks;
  docs: string;
}

export const presets: Record<string, Preset> = {
  deepseek: { baseUrl: 'https://api.deepseek.com/v1', apiKeyEnv: 'DEEPSEEK_API_KEY', quirks: { developerRole: 'system', reasoningField: 'reasoning_content', maxTokensField: 'max_tokens' }, docs: 'https://api-docs.deepseek.com/' },
  'qwen-intl': { baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', apiKeyEnv: 'DASHSCOPE_API_KEY', quirks: { developerRole: 'system', reasoningField: 'reasoning_content' }, docs: 'https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope' },
  'qwen-cn': { baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', apiKeyEnv: 'DASHSCOPE_API_KEY', quirks: { developerRole: 'system', reasoningField: 'reasoning_content' }, docs: 'https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope' },
  moonshot: { baseUrl: 'https://api.moonshot.ai/v1', apiKeyEnv: 'MOONSHOT_API_KEY', quirks: { developerRole: 'system', maxTokensField: 'max_tokens' }, docs: 'https://platform.moonshot.ai/docs' },
  zhipu: { baseUrl: 'https://open.bigmodel.cn/api/paas/v4', apiKeyEnv: 'ZHIPUAI_API_KEY', quirks: { developerRole: 'system', reasoningField: 'reasoning_content', maxTokensField: 'max_tokens' }, docs: 'https://docs.bigmodel.cn/' },
  minimax: { baseUrl: 'https://api.minimax.io/v1', apiKeyEnv: 'MINIMAX_API_KEY', quirks: { developerRole: 'system', maxTokensField: 'max_tokens' }, docs: 'https://platform.minimax.io/docs' },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKeyEnv: 'MISTRAL_API_KEY', quirks: { developerRole: 'system', noStreamUsage: true, maxTokensField: 'max_tokens' }, docs: 'https://docs.mistral.ai/api/' },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY', quirks: { developerRole: 'system' }, docs: 'https://console.groq.com/docs/openai' },
  together: { baseUrl: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY', quirks: { developerRole: 'system' }, docs: 'https://docs.together.ai/docs/openai-api-compatibility' },
  fireworks: { baseUrl: 'https://api.fireworks.ai/inference/v1', apiKeyEnv: 'FIREWORKS_API_KEY', quirks: { developerRole: 'system' }, docs: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY', quirks: {}, docs: 'https://openrouter.ai/docs/api-reference/overview' },
  ollama: { baseUrl: 'http://localhost:11434/v1', local: true, quirks: { developerRole: 'system' }, docs: 'https://github.com/ollama/ollama/blob/main/docs/openai.md' },
  vllm: { baseUrl: 'http://localhost:8000/v1', local: true, quirks: {}, docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html' },
  llamacpp: { baseUrl: 'http://localhost:8080/v1', local: true, quirks: { developerRole: 'system' }, docs: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/server' },
  lmstudio: { baseUrl: 'http://localhost:1234/v1', local: true, quirks: { developerRole: 'system' }, docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai' },
};
