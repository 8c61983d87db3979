/** Anthropic Messages API adapter. https://docs.anthropic.com/en/api/messages */
import type { ProviderAdapter } from '../../core/provider.js';
import { postJson, readJson } from '../http.js';
import { parseSse } from '../sse.js';
import { guardTransport } from '../openai/index.js';
import { toAnthropicRequest } from './request.js';
import { fromAnthropicResponse, mapAnthropicStream, parseAnthropicErrorMessage } from './response.js';

const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicAdapter: ProviderAdapter = {
  kind: 'anthropic',
  async chat(deployment, request, call) {
    const jsonMode = request.response_format !== undefined && request.response_format.type !== 'text';
    const response = await postJson({
      deployment, call, parseErrorMessage: parseAnthropicErrorMessage,
      url: `${deployment.baseUrl.replace(/\/+$/, '')}/v1/messages`,
      body: toAnthropicRequest(request, deployment.upstreamModel, false),
      headers: { 'x-api-key': deployment.apiKey ?? '', 'anthropic-version': ANTHROPIC_VERSION },
    });
    return fromAnthropicResponse(await readJson(response, deployment, call.signal), jsonMode);
  },
  async chatStream(deployment, request, call) {
    const jsonMode = request.response_format !== undefined && request.response_format.type !== 'text';
    const response = await postJson({
      deployment, call, parseErrorMessage: parseAnthropicErrorMessage,
      url: `${deployment.baseUrl.replace(/\/+$/, '')}/v1/messages`,
      body: toAnthropicRequest(request, deployment.upstreamModel, true),
      headers: { 'x-api-key': deployment.apiKey ?? '', 'anthropic-version': ANTHROPIC_VERSION },
    });
    return guardTransport(mapAnthropicStream(parseSse(response.body), jsonMode), deployment, call);
  },
};
