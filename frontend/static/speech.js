// Reading aloud with the device's own voice (the Web Speech API), for young
// children and anyone who would rather listen. Nothing leaves the device:
// the browser speaks, and no sound is fetched.

/** Whether this device can speak. Without it, no read-aloud button is shown. */
export const canSpeak = typeof window !== 'undefined' && 'speechSynthesis' in window &&
  'SpeechSynthesisUtterance' in window;

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
export function speak(parts, onEnd = () => {}) {
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
export function stop() {
  if (canSpeak) speechSynthesis.cancel();
}
