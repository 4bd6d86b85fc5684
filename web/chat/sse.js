// Server-sent events over fetch(): EventSource can't POST, so the chat reply stream is read with
// fetch + ReadableStream and parsed here. Frames may be split anywhere across network chunks.

/**
 * Feeds text in, calls onData(dataString) for every complete event that has data lines.
 * Follows the SSE rules that matter here: \n, \r\n or \r line ends; "data:" lines joined with \n;
 * comments (":…") and other fields ignored; a blank line dispatches the event.
 */
export function createSseParser(onData) {
  let buffer = '';
  let data = [];

  function handleLine(line) {
    if (line === '') {
      if (data.length) {
        const payload = data.join('\n');
        data = [];
        onData(payload);
      }
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
  }

  return {
    push(text) {
      buffer += text;
      for (;;) {
        const end = buffer.search(/[\r\n]/);
        if (end === -1) break;
        // A trailing \r may be the first half of \r\n: wait for the next chunk.
        if (buffer[end] === '\r' && end === buffer.length - 1) break;
        const width = buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1;
        handleLine(buffer.slice(0, end));
        buffer = buffer.slice(end + width);
      }
    },
    /** The body ended: dispatch whatever complete event is left (some servers omit the last blank line). */
    end() {
      if (buffer) handleLine(buffer.replace(/\r$/, ''));
      buffer = '';
      handleLine('');
    },
  };
}

/**
 * Reads a fetch Response body as SSE, calling onData for each event's data. onData may return
 * true to stop early (e.g. after "[DONE]", in case a proxy keeps the connection open).
 * Resolves when the body ends or is stopped; rejects if the connection breaks.
 */
export async function readEventStream(body, onData) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let stopped = false;
  const parser = createSseParser((data) => {
    if (!stopped && onData(data) === true) stopped = true;
  });
  try {
    while (!stopped) {
      const { value, done } = await reader.read();
      if (done) {
        parser.push(decoder.decode());
        parser.end();
        break;
      }
      parser.push(decoder.decode(value, { stream: true }));
    }
    if (stopped) await reader.cancel().catch(() => {});
  } finally {
    reader.releaseLock();
  }
}
