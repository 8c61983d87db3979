/**
 * An upstream response body fed straight from undici's dispatch handler, read once with
 * `text()` or by async iteration. undici's `request()` wraps every body in a Node Readable
 * and every call in an AsyncResource; on the gateway's hot path those cost more than the
 * bytes they carry. Chunks queue up to a high-water mark, past which the socket is paused
 * until the reader catches up. A failure (socket reset, timeout, abort) reaches the reader
 * after the chunks that arrived before it, so a cut stream delivers what it did send.
 */

/** The part of undici's dispatch controller a body steers. */
export interface BodyFlowControl {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

const HIGH_WATER_BYTES = 64 * 1024;

export class UpstreamBody implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  private paused = false;
  private ended = false;
  private failure: unknown;
  private failed = false;
  private settled = false;
  private reader: { resolve: (result: IteratorResult<Buffer>) => void; reject: (error: unknown) => void } | undefined;
  private whole: { resolve: (text: string) => void; reject: (error: unknown) => void } | undefined;
  private taken = false;

  /** `onSettled` runs once, when the body has ended, failed or been given up. */
  constructor(private readonly control: BodyFlowControl, private readonly onSettled: () => void) {}

  // Producer side: called by the dispatch handler.

  push(chunk: Buffer): void {
    if (this.settled) return;
    const reader = this.reader;
    if (reader && this.chunks.length === 0) {
      this.reader = undefined;
      reader.resolve({ value: chunk, done: false });
      return;
    }
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    // Whole-body readers take everything; only an iterating reader that falls behind pauses the socket.
    if (!this.whole && !this.paused && this.queuedBytes > HIGH_WATER_BYTES) {
      this.paused = true;
      this.control.pause();
    }
  }

  end(): void {
    if (this.settled) return;
    this.ended = true;
    this.settle();
    if (this.whole) this.finishWhole();
    else if (this.reader && this.chunks.length === 0) this.takeReader().resolve({ value: undefined, done: true });
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.failed = true;
    this.failure = error;
    this.settle();
    if (this.whole) this.takeWhole().reject(error);
    else if (this.reader && this.chunks.length === 0) this.takeReader().reject(error);
  }

  // Consumer side.

  /** The whole body as UTF-8 text. */
  text(): Promise<string> {
    this.claim();
    if (this.failed) return Promise.reject(this.failure);
    return new Promise<string>((resolve, reject) => {
      this.whole = { resolve, reject };
      if (this.paused) {
        this.paused = false;
        this.control.resume();
      }
      if (this.ended) this.finishWhole();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    this.claim();
    return {
      next: () => this.next(),
      return: () => {
        this.destroy();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** The reader gives up: the upstream call is aborted unless it has already ended. */
  destroy(): void {
    this.chunks.length = 0;
    this.queuedBytes = 0;
    if (this.settled) return;
    this.settle();
    this.control.abort(new Error('The upstream response body was abandoned by its reader.'));
  }

  private next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.chunks.shift();
    if (chunk) {
      this.queuedBytes -= chunk.length;
      if (this.paused && this.queuedBytes <= HIGH_WATER_BYTES / 2) {
        this.paused = false;
        this.control.resume();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failed) return Promise.reject(this.failure);
    if (this.ended || this.settled) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => { this.reader = { resolve, reject }; });
  }

  private claim(): void {
    if (this.taken) throw new Error('An upstream response body can be read only once.');
    this.taken = true;
  }

  private settle(): void {
    this.settled = true;
    this.onSettled();
  }

  private finishWhole(): void {
    const chunks = this.chunks.splice(0);
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, this.queuedBytes).toString('utf8');
    this.queuedBytes = 0;
    this.takeWhole().resolve(text);
  }

  private takeReader(): NonNullable<UpstreamBody['reader']> {
    const reader = this.reader!;
    this.reader = undefined;
    return reader;
  }

  private takeWhole(): NonNullable<UpstreamBody['whole']> {
    const whole = this.whole!;
    this.whole = undefined;
    return whole;
  }
}
