/**
 * The runtime as a ChatClient, for the eval harness: the same provider layer as the gateway.
 * It streams (asking for usage) so time to first token is measured, then reassembles.
 */
import type { ChatClient } from '../core/chat-client.js';
import { ChunkAssembler } from '../core/chunk-assembler.js';
import type { Runtime } from './types.js';
import { RawChunks, StreamFailure } from '../core/stream-item.js';

export function createRuntimeChatClient(runtime: Runtime): ChatClient {
  return {
    async chat(request, options = {}) {
      const streamed = { ...request, stream: true, stream_options: { include_usage: true } };
      const target = runtime.resolve(streamed, {});
      const started = performance.now();
      const execution = await runtime.executeStream(target, streamed, { signal: options.signal, headers: options.headers });
      const assembler = new ChunkAssembler();
      let ttftMs: number | undefined;
      for await (const item of execution.chunks) {
        // An eval item whose stream broke is a failed call, whatever arrived before.
        if (item instanceof StreamFailure) throw item.error;
        // Unparsed chunks are content deltas: choices are there.
        if (ttftMs === undefined && (item instanceof RawChunks || item.choices.length > 0)) ttftMs = performance.now() - started;
        assembler.add(item);
      }
      const response = assembler.toResponse();
      return {
        response,
        deployment: execution.deployment.name,
        costNano: response.usage ? runtime.costOf(execution.deployment, response.usage) : null,
        latencyMs: performance.now() - started,
        ...(ttftMs !== undefined ? { ttftMs } : {}),
      };
    },
  };
}
