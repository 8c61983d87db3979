/** Gemini API adapter (generateContent / streamGenerateContent?alt=sse). https://ai.google.dev/api */
import type { ProviderAdapter } from '../../core/provider.js';
import { postJson, readJson, streamReadError } from '../http.js';
import { parseSse } from '../sse.js';
import { toGeminiRequest } from './request.js';
import { parseGeminiError } from './errors.js';
import { fromGeminiResponse } from './response.js';
import { mapGeminiStream } from './stream.js';
import { fromGeminiEmbedResponse, toGeminiEmbedRequest } from './embeddings.js';

function modelUrl(baseUrl: string, model: string, method: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1beta/models/${encodeURIComponent(model)}:${method}`;
}

export const geminiAdapter: ProviderAdapter = {
  kind: 'gemini',
  async chat(deployment, request, call) {
    const response = await postJson({
      deployment, call, parseErrorMessage: parseGeminiError,
      url: modelUrl(deployment.baseUrl, deployment.upstreamModel, 'generateContent'),
      body: toGeminiRequest(request),
      headers: { 'x-goog-api-key': deployment.apiKey ?? '' },
    });
    return fromGeminiResponse(await readJson(response, deployment, call.signal), deployment.upstreamModel);
  },
  async chatStream(deployment, request, call) {
    const response = await postJson({
      deployment, call, parseErrorMessage: parseGeminiError,
      url: `${modelUrl(deployment.baseUrl, deployment.upstreamModel, 'streamGenerateContent')}?alt=sse`,
      body: toGeminiRequest(request),
      headers: { 'x-goog-api-key': deployment.apiKey ?? '' },
    });
    return mapGeminiStream(parseSse(response.body, { mapReadError: (error) => streamReadError(error, deployment, call.signal) }), deployment.upstreamModel);
  },
  async embed(deployment, request, call) {
    const response = await postJson({
      deployment, call, parseErrorMessage: parseGeminiError,
      url: modelUrl(deployment.baseUrl, deployment.upstreamModel, 'batchEmbedContents'),
      body: toGeminiEmbedRequest(request, deployment.upstreamModel),
      headers: { 'x-goog-api-key': deployment.apiKey ?? '' },
    });
    return fromGeminiEmbedResponse(await readJson(response, deployment, call.signal), request, deployment.name);
  },
};
