// The projected one-item-at-a-time pages: presentation mode (workshop/present.html) and the consensus discussion
// (workshop/discussion.html). Next/previous by buttons and keys (→ Space / ←); in presentation mode the
// departments' answers and the comments are revealed only when the consultant chooses (the button, or R); a
// discussion timer. The item shown is kept in the address (#slide-N, replaced, not pushed), so a reload or
// coming back to the page keeps it. live.js keeps presentation mode's answers polled. A static file (CSP).
(() => {
  const mmss = (s) => [Math.floor(s / 60), s % 60].map((n) => String(n).padStart(2, "0")).join(":");
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector(".present");
    const slides = root ? Array.from(root.querySelectorAll(".slide")) : [];
    if (!slides.length) return;
    const position = document.getElementById("position");
    const reveal = document.getElementById("reveal");  // presentation mode only
    let current = 0;
    const panel = () => slides[current].querySelector(".reveal");
    const revealed = () => Boolean(panel() && !panel().hidden);
    const setRevealed = (on) => {
      if (!reveal || !panel()) return;
      panel().hidden = !on;
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
      root.dataset.current = String(current + 1);
      if (location.hash !== `#${slides[current].id}`) history.replaceState(history.state, "", `#${slides[current].id}`);
    };
    const inAddress = () => slides.findIndex((slide) => `#${slide.id}` === location.hash);
    window.addEventListener("hashchange", () => { const index = inAddress(); if (index >= 0 && index !== current) show(index); });
    document.getElementById("next").addEventListener("click", () => show(current + 1));
    document.getElementById("prev").addEventListener("click", () => show(current - 1));
    if (reveal) reveal.addEventListener("click", () => setRevealed(!revealed()));
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
      else if (reveal && (event.key === "r" || event.key === "R") && !onControl) { setRevealed(!revealed()); }
    });
    show(Math.max(inAddress(), 0));
    window.scrollTo(0, 0);  // the address's #slide-N is not a place to scroll to: the slide is the page
  });
})();
