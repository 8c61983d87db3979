/**
 * Writes canonical chunks to the client as OpenAI-style server-sent events, respecting
 * backpressure so a slow client slows the upstream read instead of growing memory.
 */
import type { ServerResponse } from 'node:http';
import type { ArbiterError } from '../core/errors.js';
import { errorBody } from './error-response.js';

/** Queued text past which `send` writes at once (an upstream read is usually well under it). */
const FLUSH_AT_CHARS = 64 * 1024;

export class SseWriter {
  private started = false;
  /** Events sent in this tick, written together when it ends. */
  private pending = '';
  private flushScheduled = false;
  /** Set while the socket's buffer is over its high-water mark; senders wait on it. */
  private draining: Promise<void> | undefined;

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
    // No flushHeaders(): the head goes out with the first write.
  }

  /**
   * Queues one event. Events parsed from one upstream read are mapped in one run of
   * microtasks; they leave in one write at the end of the tick instead of a write (and a
   * chunked-encoding frame) each, which is how a bare proxy forwards the read as it came.
   * Returns a promise only when the client is not keeping up: callers await it then.
   * `wireText`: the upstream's own encoding of an unchanged payload, forwarded as it came.
   */
  send(payload: unknown, wireText?: string): Promise<void> | undefined {
    return this.sendFramed(`data: ${wireText ?? JSON.stringify(payload)}\n\n`);
  }

  /** Queues events already framed as SSE (`data: ...` and a blank line each). */
  sendFramed(events: string): Promise<void> | undefined {
    this.start();
    this.pending += events;
    // A producer that sends a lot within one tick writes as it goes, so the socket's
    // backpressure reaches it instead of the text piling up here.
    if (this.pending.length >= FLUSH_AT_CHARS) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    return this.draining;
  }

  private flush(): void {
    if (this.pending === '' || this.res.destroyed) return;
    const text = this.pending;
    this.pending = '';
    if (!this.res.write(text) && !this.draining) {
      this.draining = new Promise<void>((resolve) => {
        // A destroyed response never drains: 'close' releases the waiters too. Both listeners
        // go once either fires, so a long stream to a slow client does not pile them up.
        const done = () => {
          this.res.off('drain', done);
          this.res.off('close', done);
          this.draining = undefined;
          resolve();
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
  }

  /**
   * After the first byte an error can only be reported in-band. OpenAI's own streams send a
   * data line holding `{ error }`, which the official clients raise as an APIError.
   */
  fail(error: ArbiterError): void {
    this.finish(`data: ${JSON.stringify(errorBody(error))}\n\n`);
  }

  end(): void {
    this.finish('data: [DONE]\n\n');
  }

  /** Ends with the entrance's own last events (Anthropic and Responses streams send no [DONE]). */
  endWith(events: string): void {
    this.finish(events);
  }

  private finish(last: string): void {
    this.start();
    const text = this.pending + last;
    this.pending = '';
    this.res.end(text);
  }
}
