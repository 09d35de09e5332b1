// Following a MADE session's state, for the phone's page (live.js) and the
// projector's (present.js). The server sends the state as it is, then
// again each time it changes: as server-sent events where they get
// through, and by long polling where they do not (an old browser, or a
// proxy that holds the stream back). A state's seq, which only grows,
// comes as the event's id or the poll's Heard-Seq header, and is set on
// the state here, so a state older than the one shown is never shown.

// follow calls onState with each newer state. stream and poll are the
// addresses of the event stream and of the long poll (to which
// "after=<seq>" is added).
export function follow(stream, poll, seq, onState) {
  let last = seq;
  const take = (state) => {
    if (state.seq > last) {
      last = state.seq;
      onState(state);
    }
  };
  if (!('EventSource' in window)) {
    longPoll(poll, () => last, take);
    return;
  }
  let heard = false;
  const source = new EventSource(stream);
  source.addEventListener('state', (e) => {
    heard = true;
    take({ ...JSON.parse(e.data), seq: Number(e.lastEventId) });
  });
  // A server that is stopping says so before its stream ends, with a
  // longer retry: the stream got through, and the browser reconnects by
  // itself (to another instance, or this one restarted).
  source.addEventListener('reconnect', () => {
    heard = true;
  });
  source.addEventListener('error', () => {
    // The browser reconnects by itself after a stream ends; a stream that
    // never sent anything is one that cannot get through.
    if (!heard) {
      source.close();
      longPoll(poll, () => last, take);
    }
  });
}

// longPoll asks poll for each state after the one shown, for ever.
export async function longPoll(poll, after, take) {
  const sep = poll.includes('?') ? '&' : '?';
  for (;;) {
    try {
      const res = await fetch(`${poll}${sep}after=${after()}`, { headers: { Accept: 'application/json' } });
      if (res.ok) {
        take({ ...(await res.json()), seq: Number(res.headers.get('Heard-Seq')) });
        continue;
      }
    } catch {
      // offline: wait and ask again
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
