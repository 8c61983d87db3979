/**
 * One incremental server-sent-events parser for every adapter. It handles `event:` and
 * multi-line `data:` fields, comments (keep-alives such as OpenRouter's
 * `: OPENROUTER PROCESSING`), LF / CR / CRLF line ends, a leading BOM, and chunks split
 * anywhere (even inside a UTF-8 sequence or between CR and LF), holding at most one
 * unfinished line in memory. `[DONE]` is an ordinary data payload: the OpenAI mapper decides
 * what it means.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { StringDecoder } from 'node:string_decoder';
import { ArbiterError } from '../core/errors.js';

export interface SseEvent {
  /** The `event:` field, when the server named the event (Anthropic does, OpenAI does not). */
  event?: string;
  data: string;
}

export interface SseOptions {
  /** A hostile upstream could send one endless line; past this size the stream fails. */
  maxLineBytes?: number;
  /**
   * Turns a failure reading the body (socket reset, timeout, abort) into the caller's error.
   * Done here, where the body is read, so no extra generator layer wraps every event.
   */
  mapReadError?: (error: unknown) => unknown;
}

const DEFAULT_MAX_LINE = 8 * 1024 * 1024;

/** Accumulates fields until a blank line dispatches them, as the spec's event-stream model does. */
class EventBuilder {
  private event: string | undefined;
  /** Nearly every event has one data line: it is held alone, and only further ones make a list. */
  private firstData: string | undefined;
  private moreData: string[] | undefined;

  field(line: string): void {
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') this.data(value);
    else if (name === 'event') this.event = value;
    // `id` and `retry` steer browser reconnection; a proxy call never reconnects.
  }

  data(value: string): void {
    if (this.firstData === undefined) this.firstData = value;
    else (this.moreData ??= []).push(value);
  }

  /** Returns the finished event, or undefined when no data arrived (the spec drops those). */
  dispatch(): SseEvent | undefined {
    const event = this.event;
    const first = this.firstData;
    const more = this.moreData;
    this.event = undefined;
    this.firstData = undefined;
    this.moreData = undefined;
    if (first === undefined) return undefined;
    const data = more ? `${first}\n${more.join('\n')}` : first;
    return event ? { event, data } : { data };
  }

  get pending(): boolean {
    return this.firstData !== undefined;
  }
}

/**
 * The incremental decoder: text in, finished events out, synchronously. Events come back in
 * batches (all those one body chunk completes), so a stream costs one async step per chunk
 * rather than one per event.
 */
export class SseDecoder {
  private readonly maxLine: number;
  // StringDecoder keeps a UTF-8 sequence split across chunks whole, as TextDecoder's stream
  // mode does, at a fifth of its cost per chunk (measured on Node 20).
  private readonly decoder = new StringDecoder('utf8');
  private atStart = true;
  private readonly builder = new EventBuilder();
  /**
   * The unfinished line, in the pieces it arrived in: joined only once a line end comes, so a
   * long line sent in many chunks is copied once rather than once per chunk.
   */
  private carried: string[] = [];
  private carriedLength = 0;
  // A chunk ending in CR may be the first half of CRLF: the next chunk's LF is then skipped.
  private skipLeadingLf = false;
  private endedWithNewline = true;

  constructor(options: SseOptions = {}) {
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  }

  /** The events this chunk completes (often none, often several). */
  push(chunk: Uint8Array | string): SseEvent[] {
    const events: SseEvent[] = [];
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk as Buffer);
    if (text.length === 0) return events;
    if (this.atStart) {
      this.atStart = false;
      // The spec lets a stream open with a byte order mark, which is not part of the first line.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLeadingLf = false;
    if (text.length === 0) return events;
    // What was carried over holds no line end (else it would have been parsed).
    if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) {
      this.carry(text);
      return events;
    }
    const buffer = this.carried.length === 0 ? text : this.carried.join('') + text;
    this.carried = [];
    this.carriedLength = 0;
    let start = 0;
    // Most streams hold no CR at all: its search runs again only once the parse passes it,
    // or each line would rescan the rest of the text.
    let cr = buffer.indexOf('\r');
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      const lineStart = start;
      if (buffer.charCodeAt(end) === 13) {
        if (end + 1 === buffer.length) this.skipLeadingLf = true;
        start = buffer.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
      if (end === lineStart) {
        const event = this.builder.dispatch();
        if (event) events.push(event);
      } else if (buffer.startsWith('data: ', lineStart)) {
        // The common line, cut once: its payload straight from the buffer.
        this.builder.data(buffer.slice(lineStart + 6, end));
      } else {
        this.builder.field(buffer.slice(lineStart, end));
      }
    }
    this.endedWithNewline = start === buffer.length;
    if (!this.endedWithNewline) this.carry(start === 0 ? buffer : buffer.slice(start));
    return events;
  }

  private carry(text: string): void {
    this.carried.push(text);
    this.carriedLength += text.length;
    this.endedWithNewline = false;
    if (this.carriedLength > this.maxLine) {
      throw new ArbiterError('upstream_error', `The upstream sent a stream line longer than ${this.maxLine} bytes.`, { retryable: true });
    }
  }

  /**
   * At the body's end: a last event whose lines all ended but whose blank line never came is
   * complete enough to keep (some local servers omit it); an unterminated last line may be a
   * cut payload and is dropped, so a cut stream is seen as cut rather than trusted.
   */
  end(): SseEvent | undefined {
    const rest = this.decoder.end();
    if (this.carriedLength === 0 && rest.length === 0 && this.endedWithNewline && this.builder.pending) return this.builder.dispatch();
    return undefined;
  }
}

/** The body's events, batched per body chunk; the last batch holds what `end()` completes. */
export async function* parseSseBatches(body: AsyncIterable<Uint8Array | string>, options: SseOptions = {}): AsyncIterable<SseEvent[]> {
  const decoder = new SseDecoder(options);
  const iterator = body[Symbol.asyncIterator]();
  // As `for await` would: a consumer that stops early (or an error here) releases the body.
  let drained = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw options.mapReadError ? options.mapReadError(error) : error;
      }
      if (next.done) break;
      const events = decoder.push(next.value);
      if (events.length > 0) yield events;
    }
    drained = true;
  } finally {
    if (!drained) await iterator.return?.();
  }
  const last = decoder.end();
  if (last) yield [last];
}

export async function* parseSse(body: AsyncIterable<Uint8Array | string>, options: SseOptions = {}): AsyncIterable<SseEvent> {
  for await (const batch of parseSseBatches(body, options)) yield* batch;
}
