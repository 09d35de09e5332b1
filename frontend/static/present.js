// The projector's view of a MADE session: it puts each new state the
// server sends in place of the one shown, so that votes and ideas appear
// as they arrive. Without this script the page shows the state when it was
// loaded, with a link to show the latest.

import { follow } from './follow.js';

const root = document.querySelector('[data-present]');
if (root) {
  document.documentElement.classList.add('enhanced');
  const live = root.querySelector('[data-present-live]');
  const query = new URLSearchParams({ k: root.dataset.key });
  if (root.dataset.lang) query.set('lang', root.dataset.lang);
  const base = `/present/${encodeURIComponent(root.dataset.present)}`;
  follow(`${base}/stream?${query}`, `${base}/state?${query}`, Number(root.dataset.seq), (state) => {
    live.innerHTML = state.html; // made by the server's template, escaped there
  });
}
