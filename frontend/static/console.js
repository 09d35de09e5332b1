// The facilitator's console of a MADE session: it keeps the live part of
// the page (activities, counts, posts) up to date as phones send things,
// and sends the console's buttons without reloading the page. Without this
// script every button is a form that reloads the page.

import { longPoll } from './follow.js';

const live = document.querySelector('[data-console]');
if (live) {
  const base = `/staff/sessions/${encodeURIComponent(live.dataset.console)}`;
  let seq = Number(live.dataset.seq);
  const busy = () => live.contains(document.activeElement) && document.activeElement.matches('select, input, textarea, summary');
  let pending = null;
  const show = (state) => {
    // Not while the facilitator is choosing in a form of the live part:
    // the choice would be lost. The newest waits until they leave it.
    if (busy()) {
      pending = state;
      return;
    }
    pending = null;
    live.innerHTML = state.html;
  };
  live.addEventListener('focusout', () => setTimeout(() => pending && !busy() && show(pending), 0));
  longPoll(`${base}/live`, () => seq, (state) => {
    if (state.seq > seq) {
      seq = state.seq;
      show(state);
    }
  });
}
