// Heard's one script, on every young person's page: it keeps answers on
// the device until Heard has them (the store), registers the service worker
// that keeps an opened survey working offline, and, on a survey form, shows
// the survey one question at a time on top of the plain form the server
// renders (which works on its own without JavaScript).
//
// It is one module (with conditions.js, which the shared condition cases
// test on its own) so that a survey's first load costs as few requests as
// it can: the page, the stylesheet, this, conditions.js and the worker.
//
// Screens: a start screen (the survey's facts, read-aloud, Start), one
// screen per question shown (Back, Next, Skip, progress), a check-and-send
// screen, and what happened to the answers. Every answer is kept on the
// device as it is given, so that a reload, a closed tab or a flat battery
// resumes where the young person was. Answers are sent through the JSON
// API; with no connection they wait in the outbox and send themselves
// later. Which questions show follows conditions.js, the same rules as the
// server's.

import { cleanText, isGiven, visible } from './conditions.js';

// ----- The store: keeping a young person's answers on this device until Heard has them -----
//
// Progress (the answers as they are given, the screen reached, the response
// id) is kept in localStorage under heard:<survey>:<version>, and wiped once
// the server has acknowledged the answers.
//
// Answers sent with no connection wait in an IndexedDB outbox, which the
// service worker (/sw.js) reads too, since it cannot read localStorage.
// An entry is {id, url, body, state: 'queued'} until the server
// acknowledges it; then only {id, state: 'sent', help} is kept, so that the
// survey page can say thank you, and the answers are gone from the outbox.
// An entry the server refuses is deleted: the page sends the answers from
// its progress again, to learn why and show it. Page and worker send under
// the same lock, and with the same response id, so a retry is stored once.
//
// Every page registers the service worker, and sends whatever is queued
// now, on every page load, and whenever the phone is back online.

const PREFIX = 'heard:';
const DB = 'heard';
const OUTBOX = 'outbox';
const LOCK = 'heard-outbox';
const SYNC_TAG = 'heard-outbox';

/** The saved progress of a survey version, or null. */
function loadProgress(survey, version) {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + survey + ':' + version));
  } catch {
    return null; // storage off, or spoilt: start afresh
  }
}

/** Saves progress. Where storage is off (some private windows), the answers live in the page only. */
function saveProgress(survey, version, progress) {
  try {
    localStorage.setItem(PREFIX + survey + ':' + version, JSON.stringify(progress));
  } catch {
    // nothing more can be done
  }
}

function clearProgress(survey, version) {
  try {
    localStorage.removeItem(PREFIX + survey + ':' + version);
  } catch {
    // nothing to clear
  }
}

function openOutbox() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(OUTBOX, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs f(store) in a transaction and resolves with the value of the request it returns. */
async function withOutbox(mode, f) {
  const db = await openOutbox();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(OUTBOX, mode);
      const req = f(tx.objectStore(OUTBOX));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const queue = (entry) => withOutbox('readwrite', (s) => s.put(entry));
const outboxEntry = (id) => withOutbox('readonly', (s) => s.get(id));
const removeEntry = (id) => withOutbox('readwrite', (s) => s.delete(id));
const entries = () => withOutbox('readonly', (s) => s.getAll());

/** Asks the browser to run the worker's send when the connection returns (Background Sync), where it can. */
async function requestSync() {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  await reg.sync?.register(SYNC_TAG);
}

/**
 * Posts a response as JSON: resolves with the status, the reply's JSON and
 * any Retry-After in seconds; rejects when there is no connection.
 */
async function post(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    credentials: 'same-origin',
    cache: 'no-store',
  });
  let reply = {};
  try {
    reply = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  return { status: res.status, reply, retryAfter: Number(res.headers.get('Retry-After')) || 0 };
}

/** Runs f holding the outbox lock, shared with the worker, where the browser has locks. */
function locked(f) {
  return navigator.locks ? navigator.locks.request(LOCK, f) : f();
}

let flushing = null;

/**
 * Sends every queued response, one at a time, and stops at the first that
 * finds no connection. Tells the page ('heard:outbox' on window) when an
 * entry was settled.
 */
function flush() {
  flushing ??= locked(async () => {
    let settled = false;
    for (const e of await entries()) {
      if (e.state !== 'queued') continue;
      let r;
      try {
        r = await post(e.url, e.body);
      } catch {
        break; // still offline
      }
      if (r.status === 200 || r.status === 201) {
        await queue({ id: e.id, state: 'sent', help: Boolean(r.reply.help?.show) });
      } else if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
        await removeEntry(e.id);
      } else {
        continue; // busy: it stays queued
      }
      settled = true;
    }
    if (settled) window.dispatchEvent(new Event('heard:outbox'));
  }).catch(() => {
    // no IndexedDB here: the survey page sends from its progress instead
  }).finally(() => {
    flushing = null;
  });
  return flushing;
}

// ----- Reading aloud with the device's own voice (the Web Speech API), for young
// children and anyone who would rather listen. Nothing leaves the device:
// the browser speaks, and no sound is fetched.

/** Whether this device can speak. Without it, no read-aloud button is shown. */
const canSpeak = 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;

// Voices load after the page on some browsers; ask once, early.
if (canSpeak) speechSynthesis.getVoices();

/** The device's best voice for a language: a British one for English, as the questions are written. */
function voiceFor(lang) {
  const voices = speechSynthesis.getVoices();
  const exact = lang === 'en' ? 'en-gb' : lang;
  return voices.find((v) => v.lang.toLowerCase().replace('_', '-') === exact) ??
    voices.find((v) => v.lang.toLowerCase().startsWith(lang));
}

/**
 * Speaks parts one after another, stopping whatever was being said. Each
 * part is {text, lang}: a question in English on a Polish page is read by
 * an English voice. onEnd runs when the last part has been said (or the
 * speaking was stopped).
 */
function speak(parts, onEnd = () => {}) {
  if (!canSpeak) return;
  speechSynthesis.cancel();
  const said = parts.filter((p) => p.text.trim() !== '');
  said.forEach((part, i) => {
    const u = new SpeechSynthesisUtterance(part.text);
    u.lang = part.lang;
    const voice = voiceFor(part.lang);
    if (voice) u.voice = voice;
    u.rate = 0.9; // a little slower than usual, for young listeners
    if (i === said.length - 1) {
      u.onend = onEnd;
      u.onerror = onEnd;
    }
    speechSynthesis.speak(u);
  });
  if (said.length === 0) onEnd();
}

/** Stops speaking. */
function stopSpeaking() {
  if (canSpeak) speechSynthesis.cancel();
}

// ----- The survey, one question at a time -----

function startSurvey(form) {
  const cfg = form.dataset;
  const t = translator(JSON.parse(cfg.i18n), cfg.lang);
  const main = document.getElementById('main');
  const intro = main.querySelector('.intro');
  const questions = [...form.querySelectorAll('fieldset.question')].map(questionOf);
  const sendBlock = form.querySelector('.send');
  const serverSummary = main.querySelector('.error-summary');

  // What is kept on the device: the answers, the screen reached, the
  // response id (the same on every retry, so the answers are stored once),
  // the access code, and whether reading aloud is on.
  let progress = loadProgress(cfg.survey, cfg.version);
  const resumed = Boolean(progress?.answers && Object.values(progress.answers).some(isGiven));
  progress ??= {};
  progress.id ??= newID();
  // A code the server has just checked (from the address) wins over one kept.
  progress.code = cfg.code || progress.code || '';
  progress.answers ??= {};
  form.elements.id.value = progress.id;
  for (const q of questions) writeAnswer(q, progress.answers[q.key]);

  let screen = null; // 'start', 'review', 'queued', 'done', or a question
  let sending = false;
  let settling = false;

  document.documentElement.classList.add('enhanced');

  // The parts of the screens that the server's form does not have.
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const bar = h('div', { class: 'progress', 'aria-hidden': 'true' }, h('div', { class: 'progress__bar' }));
  const readButton = canSpeak
    ? h('button', { type: 'button', class: 'button button--secondary read-aloud', onclick: () => readQuestion(screen) },
      h('span', { class: 'read-offer__icon', 'aria-hidden': 'true' }, speakerIcon()), t('js.read'))
    : null;
  const skipButton = h('button', { type: 'button', class: 'button button--secondary', onclick: skip }, t('js.skip'));
  const tools = h('div', { class: 'question-tools' }, readButton, skipButton);
  const backButton = h('button', { type: 'button', class: 'button button--secondary nav__back', onclick: back }, t('js.back'));
  const nextButton = h('button', { type: 'button', class: 'button nav__next', onclick: next }, t('js.next'));
  const nav = h('div', { class: 'nav' }, backButton, nextButton);
  const againButton = h('button', { type: 'button', class: 'link-button', onclick: startAgain }, t('js.start_again'));
  const again = h('p', { class: 'start-again' }, againButton);
  const startPanel = startScreen();
  const reviewHeading = h('h2', { tabindex: '-1' }, t('js.review_title'));
  const reviewList = h('dl', { class: 'review-list' });
  const codeBox = h('div', { class: 'field code-field', hidden: true });
  const status = h('div', { class: 'status', role: 'alert' });
  const sendingNote = h('p', { class: 'status', role: 'status' });
  const review = h('section', { class: 'review', 'aria-labelledby': 'review-title' },
    reviewHeading, h('p', {}, t('js.review_lead')), reviewList, codeBox, status);
  reviewHeading.id = 'review-title';
  const notice = h('section', { class: 'panel notice', hidden: true });

  form.prepend(startPanel, bar);
  form.insertBefore(review, sendBlock);
  sendBlock.append(sendingNote);
  form.append(again, notice);
  main.append(announcer);
  for (const q of questions) {
    if (q.type === 'text') q.count = counter(q);
    q.el.querySelector('legend').setAttribute('tabindex', '-1');
    q.el.querySelector('legend').prepend(q.number);
  }

  const changed = (e) => {
    const q = questions.find((x) => x.el.contains(e.target));
    if (!q) return;
    clearProblem(q);
    q.count?.update();
    save();
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const by = e.submitter;
    if (by?.name === 'switch_lang') {
      // The answers are on the device: the page in the new language picks them up.
      save();
      const u = new URL(location.href);
      u.searchParams.set('lang', by.value);
      location.assign(u);
    } else if (screen === 'review') {
      send();
    } else if (screen === 'start') {
      begin();
    } else if (isQuestion(screen)) {
      next(); // Enter on an answer goes on, as Next does
    }
  });
  // Answers waiting to be sent: settle them when the worker or this page
  // has sent them, or when the phone is back online.
  for (const event of ['heard:outbox', 'online']) {
    window.addEventListener(event, () => {
      if (progress.queued) settleQueued();
    });
  }

  // Where to begin: at a question the server found a problem with, at
  // answers waiting to be sent, where the young person was, or the start.
  const firstProblem = questions.find((q) => q.el.classList.contains('question--error'));
  if (serverSummary && firstProblem) {
    serverSummary.hidden = true;
    show(firstProblem);
  } else if (progress.queued) {
    showQueued(false);
    settleQueued();
  } else if (progress.step === 'review') {
    show('review', false);
  } else {
    const q = questions.find((x) => x.key === progress.step);
    if (q) show(nearestShown(q), false);
    else show('start', false);
    if (resumed && q) announce(t('js.welcome_back'));
  }

  // ----- Screens -----

  function startScreen() {
    const parts = [];
    const offer = canSpeak ? readOffer() : null;
    if (offer && 'young' in cfg) parts.push(offer);
    if (resumed) parts.push(h('p', { class: 'lead' }, t('js.welcome_back')));
    parts.push(h('p', {}, h('button', { type: 'button', class: 'button button--big', onclick: begin },
      resumed ? t('js.carry_on') : t('js.start'))));
    if (offer && !('young' in cfg)) parts.push(offer);
    parts.push(h('p', { class: 'hint' }, t('js.saved_as_you_go')));
    return h('div', { class: 'start' }, ...parts);
  }

  /** The choice to have every question read aloud as it appears: large and first for young children. */
  function readOffer() {
    const toggle = h('button', {
      type: 'button', class: 'read-offer' + ('young' in cfg ? ' read-offer--big' : ''),
      'aria-pressed': String(Boolean(progress.readAloud)), 'aria-describedby': 'read-offer-hint',
    }, h('span', { class: 'read-offer__icon', 'aria-hidden': 'true' }, speakerIcon()),
    h('span', { class: 'read-offer__words' }, t('js.read_offer')));
    toggle.addEventListener('click', () => {
      progress.readAloud = !progress.readAloud;
      toggle.setAttribute('aria-pressed', String(progress.readAloud));
      save();
      if (progress.readAloud) speak([{ text: t('js.read_offer_hint'), lang: cfg.lang }]);
      else stopSpeaking();
    });
    return h('div', { class: 'read-offer-wrap' }, toggle, h('p', { class: 'hint', id: 'read-offer-hint' }, t('js.read_offer_hint')));
  }

  /**
   * Shows a screen: 'start', a question, 'review', 'queued' or 'done'.
   * Focus moves to the new screen's heading, or the question's legend
   * (which starts "Question 3 of 12"), unless the page has just loaded.
   */
  function show(to, moveFocus = true) {
    stopSpeaking();
    screen = to;
    const onQuestion = isQuestion(to);
    main.dataset.screen = onQuestion ? 'question' : to;
    intro.hidden = to !== 'start';
    startPanel.hidden = to !== 'start';
    bar.hidden = !onQuestion;
    review.hidden = to !== 'review';
    sendBlock.hidden = to !== 'review';
    notice.hidden = to !== 'queued' && to !== 'done';
    again.hidden = to === 'queued' || to === 'done' || (to === 'start' && !resumed);
    for (const q of questions) q.el.hidden = q !== to;
    for (const sec of form.querySelectorAll('.section-title')) sec.hidden = !onQuestion || sec !== to.section;
    tools.hidden = nav.hidden = !onQuestion;
    window.scrollTo(0, 0);
    let focus = null;
    if (onQuestion) {
      const shown = shownQuestions();
      const number = shown.indexOf(to) + 1;
      to.number.textContent = t('js.progress', { number, total: shown.length });
      bar.firstChild.style.width = `${Math.round((100 * number) / shown.length)}%`;
      skipButton.hidden = to.required;
      to.el.after(tools, nav);
      focus = to.el.querySelector('legend');
      if (progress.readAloud) readQuestion(to);
      progress.step = to.key;
    } else if (to === 'review') {
      fillReview();
      focus = reviewHeading;
      progress.step = 'review';
    } else if (to === 'start') {
      focus = main.querySelector('h1');
      progress.step = 'start';
    } else {
      focus = notice.querySelector('h2');
    }
    if (to === 'start' || onQuestion || to === 'review') save();
    if (moveFocus && focus) {
      if (!focus.hasAttribute('tabindex')) focus.setAttribute('tabindex', '-1');
      focus.focus();
    }
  }

  function begin() {
    const first = shownQuestions()[0];
    show(first ?? 'review');
  }

  function next() {
    if (!isQuestion(screen)) return;
    const problem = check(screen);
    if (problem) {
      showProblem(screen, problem);
      screen.el.querySelector('.error-message')?.scrollIntoView({ block: 'center' });
      return;
    }
    const shown = shownQuestions();
    const after = shown.find((q) => questions.indexOf(q) > questions.indexOf(screen));
    show(after ?? 'review');
  }

  function back() {
    const shown = shownQuestions();
    if (screen === 'review') {
      show(shown.at(-1) ?? 'start');
      return;
    }
    const before = shown.filter((q) => questions.indexOf(q) < questions.indexOf(screen)).at(-1);
    show(before ?? 'start');
  }

  /** Skip: on to the next question, with no answer to this one. */
  function skip() {
    if (!isQuestion(screen)) return;
    writeAnswer(screen, null);
    clearProblem(screen);
    screen.count?.update();
    save();
    next();
  }

  function startAgain() {
    if (!window.confirm(t('js.start_again_confirm'))) return;
    clearProgress(cfg.survey, cfg.version);
    if (progress.queued) removeEntry(progress.id).catch(() => {});
    progress = { id: newID(), code: cfg.code || '', answers: {} };
    form.elements.id.value = progress.id;
    for (const q of questions) {
      writeAnswer(q, null);
      clearProblem(q);
      q.count?.update();
    }
    location.reload(); // the start screen, as on a first visit
  }

  /** The questions shown, given the answers so far, in order. */
  function shownQuestions() {
    const shown = visible(questions, answers());
    return questions.filter((_, i) => shown[i]);
  }

  /** A question to resume at: q if it is shown, else the next shown one. */
  function nearestShown(q) {
    return shownQuestions().find((x) => questions.indexOf(x) >= questions.indexOf(q)) ?? 'review';
  }

  function fillReview() {
    reviewList.replaceChildren();
    for (const q of shownQuestions()) {
      const value = readAnswer(q);
      const change = h('button', { type: 'button', class: 'link-button', onclick: () => show(q) },
        t('js.change'), h('span', { class: 'visually-hidden' }, ` ${t('js.change_hidden')}: `, h('span', langOf(q.legendText), q.text)));
      // The young person's own words run in the direction they were
      // written; answers chosen are in the language of their labels.
      let shown = { class: 'review-list__skipped' };
      if (isGiven(value)) shown = q.type === 'text' ? { dir: 'auto' } : langOf(q.el.querySelector('.choice__label') ?? q.legendText);
      reviewList.append(
        h('dt', langOf(q.legendText), q.text),
        h('dd', {}, h('span', shown, answerWords(q, value)), ' ', change));
    }
  }

  function answerWords(q, value) {
    if (!isGiven(value)) return t('js.skipped');
    if (q.type === 'text') return cleanText(value);
    if (q.type === 'rating') return String(value);
    return [value].flat().map((k) => q.labels.get(k) ?? k).join(', ');
  }

  // ----- Answers -----

  function answers() {
    const out = {};
    for (const q of questions) out[q.key] = readAnswer(q);
    return out;
  }

  function save() {
    progress.answers = answers();
    saveProgress(cfg.survey, cfg.version, progress);
  }

  /** What the young person would send: answers to the questions shown, as the API takes them. */
  function payload() {
    const all = answers();
    const shown = visible(questions, all);
    const given = {};
    questions.forEach((q, i) => {
      if (shown[i] && isGiven(all[q.key])) given[q.key] = all[q.key];
    });
    const body = { id: progress.id, version: cfg.version, lang: cfg.lang, answers: given };
    if (progress.code) body.code = progress.code;
    return body;
  }

  /** The problem the server would find with q's answer, where the page can tell. */
  function check(q) {
    const value = readAnswer(q);
    if (q.required && !isGiven(value)) return { code: 'required' };
    if (q.type === 'multi_choice' && q.maxChoices > 0 && value.length > q.maxChoices) {
      return { code: 'too_many', limit: q.maxChoices };
    }
    if (q.type === 'text') {
      const length = characters(value);
      if (length > q.maxLength) return { code: 'too_long', limit: q.maxLength, length };
    }
    return null;
  }

  function showProblem(q, problem) {
    clearProblem(q);
    const id = `${q.el.id}-error`;
    const message = h('p', { class: 'error-message', id, role: 'alert' },
      h('span', { class: 'visually-hidden' }, t('js.error_prefix') + ' '), problemWords(problem));
    const before = q.el.querySelector('.choices, textarea');
    before.before(message);
    q.el.classList.add('question--error');
    const described = q.type === 'text' ? q.el.querySelector('textarea') : q.el;
    described.setAttribute('aria-describedby', `${described.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
    for (const input of q.el.querySelectorAll('input, textarea')) input.setAttribute('aria-invalid', 'true');
  }

  function clearProblem(q) {
    const message = q.el.querySelector('.error-message');
    if (!message) return;
    message.remove();
    q.el.classList.remove('question--error');
    q.el.removeAttribute('tabindex');
    for (const el of [q.el, q.el.querySelector('textarea')]) {
      const ids = (el?.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== message.id);
      if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
      else el?.removeAttribute('aria-describedby');
    }
    for (const input of q.el.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  function problemWords(p) {
    const key = `problem.${p.code}`;
    const vars = {
      limit: String(p.limit ?? ''), length: String(p.length ?? ''), min: String(p.min ?? ''), max: String(p.max ?? ''),
    };
    if (p.code === 'too_many' || p.code === 'too_long') vars.n = p.limit;
    return t(key in t.messages ? key : 'problem.other', vars);
  }

  // ----- Sending -----

  async function send() {
    if (sending) return;
    sending = true;
    status.textContent = '';
    sendingNote.textContent = t('js.sending');
    if (!codeBox.hidden) progress.code = codeBox.querySelector('input').value.trim();
    save();
    const body = JSON.stringify(payload());
    try {
      const reply = await post(cfg.api, body);
      await answered(reply);
    } catch {
      // No connection: the answers wait in the outbox and send themselves.
      progress.queued = true;
      save();
      try {
        await queue({ id: progress.id, url: cfg.api, body, state: 'queued' });
        // Not awaited: without a service worker, it never settles.
        requestSync().catch(() => {});
      } catch {
        // no outbox here: this page sends when it is back online
      }
      showQueued();
    } finally {
      sending = false;
      sendingNote.textContent = '';
    }
  }

  /** Acts on the server's reply to the answers. */
  async function answered({ status: code, reply, retryAfter }) {
    if (code === 200 || code === 201) {
      await finish(Boolean(reply.help?.show));
    } else if (code === 422 && reply.problems) {
      showProblems(reply.problems);
    } else if (code === 409 && reply.problems?.code) {
      showProblems(reply.problems);
    } else if (code === 409) {
      // Closed since, or these answers' id was used by other answers
      // (sent before, then changed): either way they cannot be stored.
      const survey = await fetch(`/api/v1/surveys/${cfg.survey}`, { cache: 'no-store' }).catch(() => null);
      if (!survey) {
        fail(t('js.failed'));
        return;
      }
      clearProgress(cfg.survey, cfg.version);
      const closed = survey.status === 404;
      showNotice(closed ? t('js.closed_title') : t('js.sent_already_title'), closed ? t('js.closed') : t('js.sent_already'));
    } else if (code === 429) {
      fail(t('js.wait', { n: Math.max(1, Math.ceil(retryAfter / 60)) }));
    } else if (code === 503) {
      fail(t('js.busy'));
    } else {
      fail(t('js.failed'));
    }
  }

  /**
   * The answers are stored: wipe them from the device (the outbox too,
   * before the page goes, which would cut that short), and say thank you.
   */
  async function finish(help) {
    clearProgress(cfg.survey, cfg.version);
    await removeEntry(progress.id).catch(() => {});
    const u = new URL(cfg.thanks, location.origin);
    if (help) u.searchParams.set('help', '1');
    location.assign(u);
  }

  function fail(message) {
    progress.queued = false;
    save();
    if (screen !== 'review') show('review');
    status.textContent = message;
  }

  /** Shows each problem beside its question (or the code's), and goes to the first. */
  function showProblems(problems) {
    progress.queued = false;
    save();
    const withProblem = questions.filter((q) => problems[q.key]);
    for (const q of withProblem) showProblem(q, problems[q.key]);
    if (problems.code) {
      showCodeBox(problemWords(problems.code));
      if (withProblem.length === 0) {
        show('review');
        codeBox.querySelector('input').focus();
        return;
      }
    }
    if (withProblem.length) show(withProblem[0]);
    else fail(t('js.failed'));
  }

  function showCodeBox(message) {
    codeBox.replaceChildren(
      h('label', { for: 'code-again' }, t('code.label')),
      h('p', { class: 'hint', id: 'code-again-hint' }, t('code.hint')),
      h('p', { class: 'error-message', id: 'code-again-error' },
        h('span', { class: 'visually-hidden' }, t('js.error_prefix') + ' '), message),
      h('input', {
        class: 'code-input', type: 'text', id: 'code-again', dir: 'ltr', autocomplete: 'off', autocapitalize: 'characters',
        spellcheck: 'false', 'aria-describedby': 'code-again-hint code-again-error', 'aria-invalid': 'true',
      }));
    codeBox.hidden = false;
  }

  function showNotice(title, message) {
    notice.replaceChildren(h('h2', { tabindex: '-1' }, title), h('p', {}, message),
      h('p', {}, h('a', { href: homeLink() }, t('js.start_page'))));
    show('done');
  }

  function showQueued(moveFocus = true) {
    notice.replaceChildren(h('h2', { tabindex: '-1' }, t('js.queued_title')), h('p', {}, t('js.queued')),
      h('p', {}, t('js.queued_keep')));
    show('queued', moveFocus);
  }

  /** Answers sent while offline: see whether they have gone, and send them if the page can. */
  async function settleQueued() {
    if (settling) return;
    settling = true;
    try {
      await flush();
      const entry = await outboxEntry(progress.id).catch(() => undefined);
      if (entry?.state === 'sent') {
        await finish(entry.help);
      } else if (!entry && navigator.onLine) {
        // Refused, or never queued (no IndexedDB here): send again, to learn why.
        progress.queued = false;
        show('review', false);
        await send();
      }
    } finally {
      settling = false;
    }
  }

  // ----- Reading aloud -----

  function readQuestion(q) {
    if (!isQuestion(q)) return;
    const parts = [{ text: q.text, lang: langOf(q.legendText).lang ?? cfg.lang }];
    const help = q.el.querySelector('.question__help');
    if (help) parts.push({ text: help.textContent, lang: help.closest('[lang]').lang });
    if (q.type === 'text') {
      // the question says it all
    } else if (q.type === 'rating') {
      parts.push({ text: q.el.querySelector(`#${q.el.id}-hint`)?.textContent ?? '', lang: cfg.lang });
    } else {
      for (const label of q.el.querySelectorAll('.choice__label')) {
        parts.push({ text: label.firstChild.textContent, lang: label.closest('[lang]').lang });
      }
    }
    speak(parts);
  }

  // ----- Helpers that need the page's words -----

  function counter(q) {
    const box = q.el.querySelector('textarea');
    const shown = h('p', { class: 'hint count', 'aria-hidden': 'true' });
    const told = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    box.after(shown, told);
    let timer;
    const update = () => {
      const left = q.maxLength - characters(box.value);
      const words = left >= 0 ? t('js.chars_left', { n: left }) : t('js.chars_over', { n: -left });
      shown.textContent = words;
      shown.classList.toggle('count--over', left < 0);
      // Said once typing pauses, not at every key.
      clearTimeout(timer);
      timer = setTimeout(() => { told.textContent = words; }, 1500);
    };
    shown.textContent = t('js.chars_left', { n: q.maxLength - characters(box.value) });
    return { update };
  }

  function announce(words) {
    announcer.textContent = '';
    setTimeout(() => { announcer.textContent = words; }, 100);
  }
}

// ----- Plain helpers -----

/** Whether a screen is a question (the others are named by strings). */
function isQuestion(screen) {
  return screen !== null && typeof screen === 'object';
}

/** What the page knows of a question, from its fieldset. */
function questionOf(el) {
  const legendText = el.querySelector('.question__text');
  const labels = new Map();
  for (const input of el.querySelectorAll('input')) {
    const words = input.closest('label')?.querySelector('.choice__label')?.firstChild?.textContent;
    if (words) labels.set(input.value, words);
  }
  let section = null;
  for (let prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
    if (prev.classList.contains('section-title')) {
      section = prev;
      break;
    }
  }
  return {
    el,
    key: el.dataset.key,
    type: el.dataset.type,
    showIf: el.dataset.showIf ? JSON.parse(el.dataset.showIf) : null,
    required: 'required' in el.dataset,
    maxChoices: Number(el.dataset.maxChoices ?? 0),
    maxLength: Number(el.dataset.maxLength ?? 0),
    text: legendText.textContent,
    legendText,
    labels,
    section,
    number: h('span', { class: 'question__number' }),
  };
}

function readAnswer(q) {
  if (q.type === 'text') return q.el.querySelector('textarea').value;
  const chosen = [...q.el.querySelectorAll('input:checked')].map((i) => i.value).filter((v) => v !== '');
  if (q.type === 'multi_choice') return chosen;
  if (chosen.length === 0) return null;
  return q.type === 'rating' ? Number(chosen[0]) : chosen[0];
}

function writeAnswer(q, value) {
  if (q.type === 'text') {
    q.el.querySelector('textarea').value = typeof value === 'string' ? value : '';
    return;
  }
  const chosen = new Set([value ?? []].flat().map(String));
  for (const input of q.el.querySelectorAll('input')) input.checked = chosen.has(input.value) && input.value !== '';
}

/** Characters as the server counts them: in the cleaned text, each line break once. */
function characters(text) {
  return [...cleanText(String(text).replace(/\r\n/g, '\n'))].length;
}

/**
 * The lang and dir attributes of survey text shown in English on a page in
 * another language, if any, for a copy of the text elsewhere on the page.
 */
function langOf(el) {
  return el.hasAttribute('lang') ? { lang: el.getAttribute('lang'), dir: el.getAttribute('dir') } : {};
}

/** The start page, in the language chosen on this page (?lang=), if one was. */
function homeLink() {
  const lang = new URL(location.href).searchParams.get('lang');
  return lang ? `/?lang=${encodeURIComponent(lang)}` : '/';
}

/** A response id: a random version 4 UUID, made on the device. */
function newID() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * t(key, vars) says a message in the page's language, as the server's
 * locale.T does: vars fill {names}; a number is written with the
 * language's thousands separator, and n chooses the plural form.
 */
function translator(messages, lang) {
  const rules = 'PluralRules' in Intl ? new Intl.PluralRules(lang) : null;
  const sep = messages['number.group'];
  const groupFrom = Number(messages['number.group_min']);
  const number = (n) => {
    const digits = String(Math.abs(n));
    const grouped = digits.length < groupFrom ? digits : digits.replace(/\B(?=(\d{3})+$)/g, sep);
    return n < 0 ? `-${grouped}` : grouped;
  };
  const t = (key, vars = {}) => {
    let m = messages[key] ?? key;
    if (typeof m === 'object') m = (rules && 'n' in vars && m[rules.select(vars.n)]) || m.other;
    return m.replace(/\{([a-z_]+)\}/g, (ph, name) => {
      if (!(name in vars)) return ph;
      return typeof vars[name] === 'number' ? number(vars[name]) : vars[name];
    });
  };
  t.messages = messages;
  return t;
}

/** Makes an element: h('p', {class: 'hint'}, 'words', child). An on* attribute adds a listener. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

function speakerIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M4 9h4l5-4v14l-5-4H4zM16 8.5a4.5 4.5 0 0 1 0 7M18.5 6a8 8 0 0 1 0 12');
  svg.append(path);
  return svg;
}

// ----- Every page -----

/**
 * Registers the service worker, asks it to keep this page for offline use
 * when the server marked it worth keeping (data-keep: a start page, a
 * survey's welcome page or form, the help page; not a page with an error),
 * and sends queued answers now and when back online. The worker keeps the
 * page only if it has no copy yet: a page it fetched itself is kept already.
 * It waits for the page to load, so as not to slow it.
 */
function startPage() {
  window.addEventListener('online', () => flush());
  flush();
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data?.type === 'heard:outbox') window.dispatchEvent(new Event('heard:outbox'));
  });
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // no offline use here (an insecure origin, or private browsing)
  });
  if (!document.body.hasAttribute('data-keep')) return;
  navigator.serviceWorker.ready.then((reg) => {
    reg.active?.postMessage({ type: 'heard:keep', urls: [location.href] });
  });
}

const surveyForm = document.querySelector('form.survey[data-survey]');
if (surveyForm) startSurvey(surveyForm);
if (document.readyState === 'complete') startPage();
else window.addEventListener('load', startPage, { once: true });
