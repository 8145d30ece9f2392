// Presentation mode (workshop/present.html): one item at a time; the departments' answers and the comments are
// revealed only when the consultant chooses; next/previous by buttons and keys (→ Space / ←, R reveals); a
// discussion timer. live.js keeps polling the answers and showing the offline sign. A static file (CSP).
(() => {
  const mmss = (s) => [Math.floor(s / 60), s % 60].map((n) => String(n).padStart(2, "0")).join(":");
  document.addEventListener("DOMContentLoaded", () => {
    const slides = Array.from(document.querySelectorAll(".present .slide"));
    if (!slides.length) return;
    const position = document.getElementById("position");
    const reveal = document.getElementById("reveal");
    let current = 0;
    const revealed = () => !slides[current].querySelector(".reveal").hidden;
    const setRevealed = (on) => {
      slides[current].querySelector(".reveal").hidden = !on;
      reveal.setAttribute("aria-pressed", String(on));
      reveal.textContent = on ? reveal.dataset.hide : reveal.dataset.show;
    };
    const show = (index) => {
      if (index < 0 || index >= slides.length) return;
      setRevealed(false);  // each item starts with the departments hidden
      slides[current].hidden = true;
      current = index;
      slides[current].hidden = false;
      position.textContent = position.dataset.format.replace("{n}", String(current + 1)).replace("{total}", String(slides.length));
      document.getElementById("live").dataset.current = String(current + 1);
    };
    document.getElementById("next").addEventListener("click", () => show(current + 1));
    document.getElementById("prev").addEventListener("click", () => show(current - 1));
    reveal.addEventListener("click", () => setRevealed(!revealed()));
    // the timer counts down from its data-seconds; start/pause toggles, reset stops and starts over
    const clock = document.getElementById("timer");
    const toggle = document.getElementById("timer-toggle");
    const full = Number(clock.dataset.seconds || 180);
    let left = full, ticking = 0;
    const draw = () => { clock.textContent = mmss(Math.max(left, 0)); clock.classList.toggle("over", left <= 0); };
    const pause = () => { clearInterval(ticking); ticking = 0; toggle.textContent = toggle.dataset.start; };
    const start = () => {
      if (ticking || left <= 0) return;
      ticking = setInterval(() => { left -= 1; draw(); if (left <= 0) pause(); }, 1000);
      toggle.textContent = toggle.dataset.pause;
    };
    toggle.addEventListener("click", () => (ticking ? pause() : start()));
    document.getElementById("timer-reset").addEventListener("click", () => { pause(); left = full; draw(); });
    document.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const onControl = event.target instanceof Element && event.target.closest("button, a, input, select, textarea");
      if (event.key === "ArrowRight" || (event.key === " " && !onControl)) { event.preventDefault(); show(current + 1); }
      else if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
      else if ((event.key === "r" || event.key === "R") && !onControl) { setRevealed(!revealed()); }
    });
    show(0);
  });
})();
