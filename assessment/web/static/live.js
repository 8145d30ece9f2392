// The live workshop screen: polls the round's state every few seconds and redraws counts and answer bars.
// A static file (the CSP allows no inline script); bar widths are set through the CSSOM.
(() => {
  // "unanswered": those who have not answered an item, counted apart from "don't know" (the server counts them)
  const ANSWERS = ["yes", "partial", "no", "unknown", "unanswered"];
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
  const segs = (counts) => {
    const bar = document.createElement("span");
    bar.className = "bar";
    ANSWERS.forEach((a) => {
      const seg = document.createElement("span");
      seg.className = `seg ${a}`;
      seg.dataset.answer = a;
      seg.dataset.count = String(counts[a] || 0);
      bar.append(seg);
    });
    return bar;
  };
  // Each department's answers (only the groups the server lets through: see engine/anonymity.py), rebuilt on
  // every poll since a department appears once it has enough respondents.
  const drawDepartments = (row) => {
    document.querySelectorAll(`.dept-dist[data-item="${row.item}"]`).forEach((list) => {
      list.replaceChildren(...row.by_department.map((group) => {
        const li = document.createElement("li");
        li.dataset.department = group.department;
        const label = document.createElement("span");
        label.className = "dept-label";
        label.textContent = group.label;
        const n = document.createElement("span");
        n.className = "dist-n";
        n.textContent = String(group.answered);
        li.append(label, segs(group.counts), n);
        return li;
      }));
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
    if (closed) closed.hidden = state.join_open || state.closed;
    // A round closed while the screen is up: the join code goes away and the screen says it is closed. Reopened
    // after the screen was opened closed: reload, so the QR code (never sent while closed) comes back.
    const root = document.getElementById("live");
    if (!state.closed && root && root.dataset.closed === "1") { window.location.reload(); return; }
    const join = document.getElementById("join-info");
    if (join) join.hidden = state.closed;
    const roundClosed = document.getElementById("round-closed");
    if (roundClosed) roundClosed.hidden = !state.closed;
    document.querySelectorAll("#dept-none, .dept-none-note").forEach((note) => { note.hidden = state.departments.length > 0; });
    state.items.forEach((row) => {
      drawDepartments(row);
      document.querySelectorAll(`[data-gap-item="${row.item}"]`).forEach((el) => el.classList.toggle("gap", state.gaps.includes(row.item)));
      const li = document.getElementById(`dist-${row.item}`);
      if (!li) return;
      li.classList.toggle("gap", state.gaps.includes(row.item));
      ANSWERS.forEach((a) => { const seg = li.querySelector(`.seg.${a}`); if (seg) seg.dataset.count = String(row.counts[a] || 0); });
      const n = li.querySelector(".dist-n"); if (n) n.textContent = String(row.answered);
    });
    drawBars();
  };
  const hhmmss = (d) => [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("live");
    if (!root) return;
    drawBars();
    // When polling fails the screen says so (a polite status, with the time of the last update) and keeps
    // retrying, waiting longer each time (3 s doubling to 30 s); the first answer from the server clears it.
    const status = document.getElementById("live-status");
    const POLL = 3000, LONGEST = 30000, TIMEOUT = 10000;
    let lastUpdate = new Date(), delay = POLL, timer = 0, busy = false;
    const showOnline = (online) => {
      root.classList.toggle("offline", !online);
      if (!status) return;
      status.classList.toggle("offline", !online);
      status.textContent = online ? "" : (status.dataset.offline || "").replace("{time}", hhmmss(lastUpdate));
    };
    const poll = () => {
      if (busy) return;
      busy = true;
      clearTimeout(timer);
      const abort = new AbortController();
      const giveUp = setTimeout(() => abort.abort(), TIMEOUT);  // a server that stops answering is offline too
      fetch(root.dataset.source, { credentials: "same-origin", cache: "no-store", signal: abort.signal })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((state) => {
          apply(state);
          lastUpdate = new Date();
          root.dataset.updated = String(lastUpdate.getTime());
          delay = POLL;
          showOnline(true);
        })
        .catch(() => { showOnline(false); delay = Math.min(delay * 2, LONGEST); })
        .finally(() => { clearTimeout(giveUp); busy = false; timer = setTimeout(poll, delay); });
    };
    window.addEventListener("online", () => { delay = POLL; poll(); });  // the network is back: try at once
    timer = setTimeout(poll, 1000);
  });
})();
