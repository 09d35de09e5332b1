// show_if, evaluated in the page exactly as surveys/condition.go does on
// the server, so that a question is shown here when, and only when, the
// server expects an answer to it. testdata/conditions.json holds cases both
// must pass (see testdata/browser/tests/conditions.test.mjs).
//
// A question is {key, type, showIf}; answers are as the device sends them:
// a choice key, a list of choice keys, a whole number, or text.

// Characters Go's unicode.IsSpace counts as space, for trimming as
// strings.TrimSpace does. (JavaScript's trim also removes U+FEFF, and
// keeps U+0085, which Go's CleanText removes first anyway.)
const SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const EDGES = new RegExp(`^${SPACE}+|${SPACE}+$`, 'g');
// Control characters other than tab and line breaks, which surveys.CleanText removes.
const STRAY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Text as the server keeps it: stray control characters removed, then trimmed. */
export function cleanText(text) {
  return String(text).replace(STRAY, '').replace(EDGES, '');
}

/**
 * Whether an answer was given at all: null, a missing answer, an empty
 * list and blank text are a skipped question.
 */
export function isGiven(value) {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return cleanText(value) !== '';
  return true;
}

/**
 * For each question in order, whether it is shown given the answers. A
 * hidden question's answer is ignored by the conditions after it, as if it
 * had not been given.
 */
export function visible(questions, answers) {
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const seen = new Map();
  return questions.map((q) => {
    const shown = holds(q.showIf, byKey, seen);
    const value = answers[q.key];
    if (shown && isGiven(value)) seen.set(q.key, value);
    return shown;
  });
}

/** Whether a condition lets its question be shown. No condition always does. */
function holds(condition, byKey, seen) {
  if (!condition) return true;
  if (condition.all?.length > 0) return condition.all.every((r) => ruleHolds(r, byKey, seen));
  return (condition.any ?? []).some((r) => ruleHolds(r, byKey, seen));
}

function ruleHolds(rule, byKey, seen) {
  const answered = seen.has(rule.question);
  if (rule.op === 'answered') return answered;
  if (rule.op === 'not_answered') return !answered;
  if (!answered) return false;
  const q = byKey.get(rule.question);
  if (!q) return false;
  const answer = seen.get(rule.question);
  // A rule's value is one value or a list; the server reads them as
  // strings (choice keys) and whole numbers (ratings).
  const values = rule.value === undefined || rule.value === null ? [] : [rule.value].flat();
  const ints = values.filter((v) => Number.isInteger(v));
  switch (rule.op) {
    case 'eq':
    case 'in':
      return matchesAny(q, answer, values);
    case 'neq':
      return !matchesAny(q, answer, values);
    case 'gte':
      return q.type === 'rating' && ints.length === 1 && answer >= ints[0];
    case 'lte':
      return q.type === 'rating' && ints.length === 1 && answer <= ints[0];
    default:
      return false;
  }
}

/** Whether the answer is, or for multi_choice includes, any of the values. */
function matchesAny(q, answer, values) {
  switch (q.type) {
    case 'single_choice':
    case 'scale':
      return values.some((v) => typeof v === 'string' && v === answer);
    case 'multi_choice':
      return [answer].flat().some((k) => values.some((v) => typeof v === 'string' && v === k));
    case 'rating':
      return values.some((v) => Number.isInteger(v) && v === answer);
    default:
      return false;
  }
}
