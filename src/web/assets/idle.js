// After 15 minutes without a key press or click the server has ended the session; this leaves
// the page too, so that patient data does not stay on an unattended screen.
(() => {
  const script = document.currentScript;
  const idleMs = Number(script && script.dataset.idleMs) || 15 * 60 * 1000;
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => window.location.replace('/logga-in'), idleMs);
  };
  for (const type of ['keydown', 'pointerdown', 'scroll'])
    addEventListener(type, arm, { passive: true });
  arm();
})();
