/**
 * One incremental server-sent-events parser for every adapter: handles `event:` and
 * multi-line `data:` fields, comments, CRLF, and chunks split anywhere, without buffering
 * the body. https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export interface SseEvent { event?: string; data: string }

export async function* parseSse(body: AsyncIterable<Buffer | string>): AsyncIterable<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  const dispatch = (): SseEvent | undefined => {
    if (data.length === 0) { event = undefined; return undefined; }
    const out: SseEvent = { data: data.join('\n'), ...(event ? { event } : {}) };
    event = undefined;
    data = [];
    return out;
  };
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\n|\r/)) !== -1) {
      const line = buffer.slice(0, newline);
      const width = buffer[newline] === '\r' && buffer[newline + 1] === '\n' ? 2 : 1;
      // A lone '\r' at the buffer's end may be half of a CRLF still in flight.
      if (buffer[newline] === '\r' && newline + 1 === buffer.length) break;
      buffer = buffer.slice(newline + width);
      if (line === '') {
        const out = dispatch();
        if (out) yield out;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
  }
  // An event without its terminating blank line is incomplete: the spec discards it, and the
  // adapters see the stream as cut (no terminal event) instead of trusting half a payload.
}
