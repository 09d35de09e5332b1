// A young person's phone in a MADE session. The page works as plain forms
// without this script; with it, the phone
//   - follows the session: when the facilitator moves on, the page shows
//     the next activity (or, if something is half typed, says so and waits
//     for a tap), and an idea board's ideas and likes update as they come;
//   - sends votes, ideas, likes and dots without leaving the page, and
//     keeps what it could not send (no signal) in localStorage, sending it
//     when the phone is back online. Each carries the id the page gave its
//     form, so what is sent twice is stored once; a form whose event was
//     kept gets a new id, so that what is typed next is a new post.

import { follow } from './follow.js';

const root = document.querySelector('[data-live]');
if (root) start(root);

// newID makes an event's id on the phone: 128 random bits in hex
// (crypto.randomUUID needs a secure context, which a room's Wi-Fi may not give).
function newID() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

function start(root) {
  document.documentElement.classList.add('enhanced');
  const code = root.dataset.live;
  const query = root.dataset.lang ? `?lang=${encodeURIComponent(root.dataset.lang)}` : '';
  const page = `/live/${encodeURIComponent(code)}`;
  const outboxKey = `heard:live:${code}`;
  const status = root.querySelector('[data-live-status]');
  const i18n = JSON.parse(root.dataset.i18n || '{}');
  const shown = { live: root.dataset.activity, open: root.dataset.open === 'true', ended: root.dataset.ended === 'true' };

  const say = (text) => {
    status.textContent = text;
    status.classList.toggle('visually-hidden', !text);
  };

  const outbox = {
    read: () => {
      try {
        return JSON.parse(localStorage.getItem(outboxKey) || '[]');
      } catch {
        return [];
      }
    },
    write: (items) => {
      try {
        if (items.length) localStorage.setItem(outboxKey, JSON.stringify(items));
        else localStorage.removeItem(outboxKey);
      } catch {
        // storage full or blocked: the item is sent now or not at all
      }
    },
  };

  // send posts one queued item; it says whether the server has answered
  // (stored or refused), so that the item can leave the outbox.
  async function send(item) {
    let res;
    try {
      res = await fetch(page + query, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: item.body,
      });
    } catch {
      return { answered: false };
    }
    if (res.status >= 500 && res.status !== 503) return { answered: false };
    if (res.status === 503) return { answered: false };
    let body = {};
    try {
      body = await res.json();
    } catch {
      // an error page: the answer is in the status
    }
    return { answered: true, ok: res.ok, sent: body.sent, problem: body.problem };
  }

  // mine says whether this phone sent the post id (its outbox's posts, or
  // what it sent from this page).
  const sentPosts = new Set();
  const mine = (id) => sentPosts.has(id) || outbox.read().some((x) => x.id === id);

  const typing = () =>
    [...root.querySelectorAll('textarea, input[type=text]')].some((el) => el.value.trim() !== '');

  // showSent shows the page as the server now has it, with its thanks
  // (and, after a worrying post, where to get help).
  const showSent = (word) => {
    const sep = query ? '&' : '?';
    location.assign(`${page}${query}${sep}sent=${encodeURIComponent(word || 'ok')}`);
  };

  // weight orders how sends went: of several, the page says the weightiest.
  const weight = (word) => ['', 'ok', 'held', 'help'].indexOf(word || 'ok');

  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    let word = '';
    try {
      for (const item of outbox.read()) {
        const r = await send(item);
        if (!r.answered) {
          say(i18n.offline || '');
          return;
        }
        outbox.write(outbox.read().filter((x) => x.id !== item.id));
        if (!r.ok) say(r.problem || '');
        else if (weight(r.sent) >= weight(word)) word = r.sent || 'ok';
      }
    } finally {
      flushing = false;
    }
    if (!word) return;
    // Sent at last. Where to get help is shown whatever is half typed;
    // otherwise what is typed is kept, and the thanks said here.
    if (word === 'help' || !typing()) showSent(word);
    else say(i18n.sent || '');
  }

  // liked turns a like button on or off, and gives its form a new id for
  // the next press.
  const liked = (form) => {
    const on = form.elements.on.value === '1';
    form.querySelector('button').setAttribute('aria-pressed', String(on));
    form.elements.on.value = on ? '0' : '1';
    form.elements.id.value = newID();
  };

  root.addEventListener('submit', async (e) => {
    const form = e.target;
    e.preventDefault();
    const body = new URLSearchParams(new FormData(form)).toString();
    const id = form.elements.id.value;
    const item = { id, body };
    const like = form.classList.contains('idea__like');
    if (form.elements.kind.value === 'post') sentPosts.add(id);
    outbox.write([...outbox.read().filter((x) => x.id !== id), item]);
    const r = await send(item);
    if (!r.answered) {
      // Kept on the phone: the form starts afresh, so that the next post
      // is not taken for this one sent again.
      if (like) liked(form);
      else {
        form.elements.id.value = newID();
        for (const el of form.querySelectorAll('textarea, input[type=text]')) el.value = '';
      }
      say(i18n.offline || '');
      return;
    }
    outbox.write(outbox.read().filter((x) => x.id !== id));
    if (!r.ok) {
      say(r.problem || '');
      return;
    }
    // A like changes the button only: what is half typed stays.
    if (like) {
      liked(form);
      say('');
      return;
    }
    showSent(r.sent);
  });

  function moveOn() {
    if (!typing()) {
      location.assign(page + query);
      return;
    }
    if (root.querySelector('[data-next]')) return;
    const note = document.createElement('div');
    note.className = 'panel live__next';
    note.dataset.next = '';
    note.setAttribute('role', 'status');
    const p = document.createElement('p');
    p.textContent = i18n.next || '';
    const a = document.createElement('a');
    a.href = page + query;
    a.className = 'button';
    a.textContent = i18n.go_next || '';
    note.append(p, a);
    root.prepend(note);
  }

  function showIdeas(ideas) {
    const list = root.querySelector('[data-ideas]');
    if (!list) return;
    const known = new Map([...list.querySelectorAll('[data-idea]')].map((li) => [li.dataset.idea, li]));
    for (const idea of ideas) {
      const li = known.get(idea.id);
      if (li) {
        const likes = li.querySelector('.idea__likes');
        if (likes) likes.textContent = idea.likes;
        continue;
      }
      // A new idea, with a like button made from the page's template and
      // an id of its own (no button on an idea this phone sent).
      const item = document.createElement('li');
      item.className = 'idea';
      item.dataset.idea = idea.id;
      const text = document.createElement('p');
      text.className = 'idea__text';
      text.dir = 'auto';
      text.textContent = idea.text;
      item.append(text);
      if (idea.column) {
        const column = document.createElement('p');
        column.className = 'idea__column';
        column.textContent = idea.column;
        item.append(column);
      }
      const likes = document.createElement('p');
      likes.className = 'idea__likes';
      likes.textContent = idea.likes;
      item.append(likes);
      const template = root.querySelector('template[data-like]');
      if (template && !mine(idea.id)) {
        const form = template.content.firstElementChild.cloneNode(true);
        form.elements.id.value = newID();
        form.elements.target.value = idea.id;
        form.querySelector('.visually-hidden').textContent = `: ${idea.text}`;
        item.append(form);
      }
      list.querySelector('[data-empty]')?.remove();
      list.append(item);
    }
  }

  follow(`${page}/stream${query}`, `${page}/state${query}`, Number(root.dataset.seq), (state) => {
    if (state.live !== shown.live || state.open !== shown.open || state.ended !== shown.ended) {
      moveOn();
      return;
    }
    showIdeas(state.ideas || []);
  });

  flush();
  addEventListener('online', flush);
  setInterval(() => {
    if (outbox.read().length) flush();
  }, 5000);
}
