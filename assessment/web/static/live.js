// The live workshop screen: polls the round's state every few seconds and redraws counts and answer bars.
// A static file (the CSP allows no inline script); bar widths are set through the CSSOM.
(() => {
  const ANSWERS = ["yes", "partial", "no", "unknown"];
  const drawBars = () => {
    document.querySelectorAll(".dist .bar").forEach((bar) => {
      bar.querySelectorAll(".seg").forEach((seg) => {
        const n = Number(seg.dataset.count || 0);
        seg.style.flexGrow = String(n);
        seg.style.display = n ? "block" : "none";
        seg.title = `${n}`;
        seg.textContent = n ? String(n) : "";
      });
    });
  };
  const setText = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = String(value); };
  const apply = (state) => {
    setText("count-started", state.participation.started);
    setText("count-invited", state.participation.invited);
    setText("count-finished", state.participation.finished);
    const list = document.getElementById("by-department");
    if (list) {
      // a list in THE MODEL's order (marketing, inside sales, field sales, customer success, other roles)
      list.replaceChildren(...state.participation.by_department.map((row) => {
        const li = document.createElement("li");
        li.dataset.department = row.department;
        li.textContent = `${row.label}: ${row.count}`;
        return li;
      }));
    }
    const closed = document.getElementById("join-closed");
    if (closed) closed.hidden = state.join_open;
    state.items.forEach((row) => {
      const li = document.getElementById(`dist-${row.item}`);
      if (!li) return;
      li.classList.toggle("gap", state.gaps.includes(row.item));
      ANSWERS.forEach((a) => { const seg = li.querySelector(`.seg.${a}`); if (seg) seg.dataset.count = row.counts[a]; });
      const n = li.querySelector(".dist-n"); if (n) n.textContent = String(row.answered);
    });
    drawBars();
  };
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("live");
    if (!root) return;
    drawBars();
    let delay = 3000;
    const poll = () => {
      fetch(root.dataset.source, { credentials: "same-origin", cache: "no-store" })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((state) => { apply(state); root.dataset.updated = String(Date.now()); delay = 3000; })
        .catch(() => { delay = Math.min(delay * 2, 30000); })
        .finally(() => setTimeout(poll, delay));
    };
    setTimeout(poll, 1000);
  });
})();
