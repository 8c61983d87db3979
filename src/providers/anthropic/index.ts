/** Anthropic Messages API adapter. https://docs.anthropic.com/en/api/messages */
import type { ChatRequest } from '../../core/chat-request.js';
import type { Deployment, ProviderAdapter, ProviderCallOptions } from '../../core/provider.js';
import { postJson, readJson, streamReadError, type UpstreamResponse } from '../http.js';
import { parseSse } from '../sse.js';
import { parseAnthropicError } from './errors.js';
import { toAnthropicRequest } from './request.js';
import { fromAnthropicResponse } from './response.js';
import { mapAnthropicStream } from './stream.js';

const ANTHROPIC_VERSION = '2023-06-01';

function isJsonMode(request: ChatRequest): boolean {
  return request.response_format !== undefined && request.response_format.type !== 'text';
}

function postMessages(deployment: Deployment, request: ChatRequest, call: ProviderCallOptions, stream: boolean): Promise<UpstreamResponse> {
  return postJson({
    deployment, call, parseErrorMessage: parseAnthropicError,
    url: `${deployment.baseUrl.replace(/\/+$/, '')}/v1/messages`,
    body: toAnthropicRequest(request, deployment.upstreamModel, stream),
    headers: { 'x-api-key': deployment.apiKey ?? '', 'anthropic-version': ANTHROPIC_VERSION },
  });
}

export const anthropicAdapter: ProviderAdapter = {
  kind: 'anthropic',
  async chat(deployment, request, call) {
    const response = await postMessages(deployment, request, call, false);
    return fromAnthropicResponse(await readJson(response, deployment, call.signal), isJsonMode(request));
  },
  async chatStream(deployment, request, call) {
    const response = await postMessages(deployment, request, call, true);
    return mapAnthropicStream(parseSse(response.body, { mapReadError: (error) => streamReadError(error, deployment, call.signal) }), isJsonMode(request));
  },
};
