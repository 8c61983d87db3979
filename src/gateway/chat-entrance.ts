/**
 * What an entrance gives the shared chat path (serve-chat.ts): a decoder from its wire body to
 * the canonical request, and an encoder from the canonical response and stream back to its
 * wire. Everything between (controls, routing, fallbacks, cache, audit) is the same code for
 * every entrance.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatChunk, ChatResponse } from '../core/chat-response.js';
import type { ArbiterError } from '../core/errors.js';
import type { NanoUsd } from '../core/money.js';
import type { StreamItem } from '../core/stream-item.js';
import type { ResolvedTarget } from '../runtime/types.js';
import type { Entrance, GatewayContext } from './context.js';
import type { SseWriter } from './sse-writer.js';

/** Writes one canonical stream in an entrance's events. Methods may return a promise when the client is not keeping up. */
export interface StreamEncoder {
  /** Content chunks (no usage): `untouched` when nothing changed them since the upstream sent them. */
  write(item: StreamItem, untouched: boolean): Promise<void> | undefined;
  /** The chunk carrying usage, with the request's cost (null: unpriced). */
  usage(chunk: ChatChunk, costNano: NanoUsd | null): Promise<void> | undefined;
  /** The stream ended whole. */
  end(): Promise<void> | void;
  /** The stream broke after its first byte: an in-band error in the entrance's shape. */
  fail(error: ArbiterError): void;
}

export interface ChatEncoder {
  /** The whole response as the entrance's JSON body. */
  responseText(response: ChatResponse, costNano: NanoUsd | null): string | Promise<string>;
  openStream(writer: SseWriter): StreamEncoder;
}

export interface DecodedChat {
  request: ChatRequest;
  encoder: ChatEncoder;
  /** Entrance rules that depend on the route chosen (Responses' `store` needs one that stores bodies). */
  checkTarget?(target: ResolvedTarget): void;
}

export interface ChatEntrance {
  name: Entrance;
  decode(body: unknown, ctx: GatewayContext): DecodedChat | Promise<DecodedChat>;
}
