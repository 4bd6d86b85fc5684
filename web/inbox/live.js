// The live channel: a WebSocket to /ws/inbox that subscribes from the last event id it has seen.
// On a drop it reconnects with backoff and resumes from that id, so the server replays exactly
// what was missed (in order, no duplicate); a {"type":"reset"} (cursor too old) means "refetch,
// then resume": we resubscribe from now and let the page refetch.

const WATCHDOG_MS = 70_000; // the server pings every 25 s; silence this long means a dead link

/**
 * @param {{
 *   key: () => string | null,
 *   onEvent: (frame: object) => void,
 *   onResync: (reason: 'start' | 'reset') => void,
 *   onStatus: (state: 'connecting' | 'live' | 'reconnecting' | 'offline') => void,
 *   onAuthFailed?: () => void,
 * }} opts
 */
export function createLive(opts) {
  let ws = null;
  let lastEventId = null; // null until the first subscribe answer
  let needsResync = 'start';
  let attempt = 0;
  let retryTimer = 0;
  let watchdog = 0;
  let stopped = false;
  let holdUntil = 0;
  const received = []; // event ids in the order handled (tests and debugging)

  function url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws/inbox?token=${encodeURIComponent(opts.key() ?? '')}`;
  }

  function send(frame) {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function kick() {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      // No frame (not even a ping) for too long: assume the link is dead and start over.
      ws?.close(4000, 'watchdog');
    }, WATCHDOG_MS);
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = 0;
    if (stopped) return;
    const wait = holdUntil - Date.now();
    if (wait > 0) {
      retryTimer = setTimeout(connect, wait);
      return;
    }
    opts.onStatus(attempt === 0 && lastEventId === null ? 'connecting' : 'reconnecting');
    let opened = false;
    const socket = new WebSocket(url());
    ws = socket;
    socket.addEventListener('open', () => {
      opened = true;
      kick();
      // Resume from the last event we handled (null: from now).
      send({ type: 'subscribe', after: lastEventId });
    });
    socket.addEventListener('message', (message) => {
      if (socket !== ws) return;
      kick();
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      handle(frame);
    });
    socket.addEventListener('close', () => {
      if (socket !== ws) return;
      clearTimeout(watchdog);
      ws = null;
      if (stopped) return;
      attempt++;
      if (!opened && attempt >= 3) opts.onAuthFailed?.();
      opts.onStatus(navigator.onLine === false ? 'offline' : 'reconnecting');
      // 0.5 s, 1 s, 2 s … up to 15 s, with jitter so a fleet of tabs doesn't reconnect in step.
      const base = Math.min(15_000, 500 * 2 ** Math.min(attempt - 1, 5));
      retryTimer = setTimeout(connect, base * (0.75 + Math.random() * 0.5));
    });
  }

  function handle(frame) {
    switch (frame?.type) {
      case 'subscribed': {
        attempt = 0;
        if (lastEventId === null && typeof frame.after === 'number') lastEventId = frame.after;
        opts.onStatus('live');
        if (needsResync) {
          const reason = needsResync;
          needsResync = null;
          opts.onResync(reason);
        }
        break;
      }
      case 'event': {
        if (typeof frame.id !== 'number') return;
        if (lastEventId !== null && frame.id <= lastEventId) return; // already handled
        lastEventId = frame.id;
        received.push(frame.id);
        if (received.length > 5000) received.splice(0, received.length - 5000);
        opts.onEvent(frame);
        break;
      }
      case 'reset':
        // Our cursor is older than the retained history: start from now, then refetch.
        lastEventId = null;
        needsResync = 'reset';
        send({ type: 'subscribe', after: null });
        break;
      case 'ping':
        send({ type: 'pong' });
        break;
      default:
        // new_message (the seed's frame; the event carries the same), errors: nothing to do.
        break;
    }
  }

  const onOnline = () => {
    if (!ws && !stopped) {
      attempt = 0;
      connect();
    }
  };
  const onOffline = () => opts.onStatus('offline');
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  return {
    start() {
      stopped = false;
      connect();
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(watchdog);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      const socket = ws;
      ws = null;
      socket?.close(1000, 'signed out');
    },
    /** Handles a frame as if the server had sent it (tests, debugging). */
    receive: (frame) => handle(frame),
    /** Drops the connection as a network failure would (tests, debugging); reconnects after holdMs. */
    drop(holdMs = 0) {
      holdUntil = Date.now() + holdMs;
      ws?.close(4001, 'dropped');
    },
    get lastEventId() {
      return lastEventId;
    },
    get connected() {
      return ws?.readyState === WebSocket.OPEN;
    },
    received,
  };
}
