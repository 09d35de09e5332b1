// The facilitator's console of a MADE session: it keeps the live part of
// the page (activities, counts, posts) up to date as phones send things,
// keeping focus on the button a keyboard user is on. Every button is a
// form that reloads the page.

import { longPoll } from './follow.js';

const live = document.querySelector('[data-console]');
if (live) {
  const base = `/staff/sessions/${encodeURIComponent(live.dataset.console)}`;
  let seq = Number(live.dataset.seq);
  const busy = () => live.contains(document.activeElement) && document.activeElement.matches('select, input, textarea, summary');
  // keyOf names a button of the live part by what it does (its activity,
  // its post and its value), to find it again in the new part.
  const keyOf = (el) => {
    const form = el.closest('form');
    if (!form || !el.matches('button')) return null;
    return [form.elements.activity?.value, form.elements.target?.value, el.value].join('\n');
  };
  let pending = null;
  const show = (state) => {
    // Not while the facilitator is choosing in a form of the live part:
    // the choice would be lost. The newest waits until they leave it.
    if (busy()) {
      pending = state;
      return;
    }
    pending = null;
    // A keyboard user on one of its buttons stays on it.
    const key = live.contains(document.activeElement) ? keyOf(document.activeElement) : null;
    live.innerHTML = state.html;
    if (key !== null) [...live.querySelectorAll('button')].find((b) => keyOf(b) === key)?.focus();
  };
  live.addEventListener('focusout', () => setTimeout(() => pending && !busy() && show(pending), 0));
  longPoll(`${base}/live`, () => seq, (state) => {
    if (state.seq > seq) {
      seq = state.seq;
      show(state);
    }
  });
}
