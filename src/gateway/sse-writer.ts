/**
 * Writes canonical chunks to the client as OpenAI-style server-sent events, respecting
 * backpressure so a slow client slows the upstream read instead of growing memory.
 */
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { ArbiterError } from '../core/errors.js';
import { errorBody } from './error-response.js';

export class SseWriter {
  private started = false;
  private corked = false;

  constructor(private readonly res: ServerResponse, private readonly headers: Record<string, string>) {}

  get hasStarted(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...this.headers,
    });
    // No flushHeaders(): every caller writes right after, and the head goes out with it.
  }

  /** `wireText`: the upstream's own encoding of an unchanged payload, forwarded as it came. */
  async send(payload: unknown, wireText?: string): Promise<void> {
    this.start();
    this.coalesce();
    if (!this.res.write(`data: ${wireText ?? JSON.stringify(payload)}\n\n`)) {
      if (this.res.destroyed) return;
      await once(this.res, 'drain');
    }
  }

  /**
   * Events parsed from one upstream read are mapped in one run of microtasks; corking until
   * the next tick sends them in one write instead of a syscall each (a bare proxy forwards
   * the read as it came, and per-event writes cost several times its CPU).
   */
  private coalesce(): void {
    if (this.corked) return;
    this.corked = true;
    this.res.cork();
    process.nextTick(() => {
      this.corked = false;
      this.res.uncork();
    });
  }

  /**
   * After the first byte an error can only be reported in-band. OpenAI's own streams send a
   * data line holding `{ error }`, which the official clients raise as an APIError.
   */
  async sendError(error: ArbiterError): Promise<void> {
    this.start();
    this.res.write(`data: ${JSON.stringify(errorBody(error))}\n\n`);
  }

  end(): void {
    this.start();
    this.res.end('data: [DONE]\n\n');
  }
}
