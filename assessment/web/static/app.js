// The app's small script: copy links, confirm what cannot be taken back lightly, focus the error summary.
// No inline script anywhere (the CSP forbids it).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  field.select();
  const done = () => { button.textContent = button.dataset.copied; };
  if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, done); } else { done(); }
});
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
// Switching language on a questionnaire page sends the page first, so nothing typed is lost: the server saves
// it (or keeps it as a draft with its error) and opens the same page in the other language.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".lang a[data-lang]");
  const form = document.getElementById("questionnaire");
  if (!link || !form || link.hasAttribute("aria-current")) return;
  event.preventDefault();
  const action = document.createElement("input");
  action.type = "hidden";
  action.name = "action";
  action.value = "lang:" + link.dataset.lang;
  form.appendChild(action);
  form.submit();
});
// The PDF waiting page: ask for the PDF every two seconds (HEAD: nothing is downloaded twice) and start the
// download once it is there; then say so and offer the way back. No self-refreshing page.
document.addEventListener("DOMContentLoaded", () => {
  const section = document.querySelector("[data-pdf]");
  if (!section) return;
  const url = section.dataset.pdf;
  const check = () => {
    fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" }).then((response) => {
      if (response.status === 200) {
        window.location.href = url;
        const status = section.querySelector("[data-pdf-status]");
        status.textContent = status.dataset.ready;
        const back = section.querySelector("[data-pdf-back]");
        if (back) back.focus();
      } else if (response.status === 202 || response.status === 429) {
        window.setTimeout(check, 2000);
      } else {
        window.location.href = url;  // the page that says what went wrong (a failed render: a way to try again)
      }
    }, () => window.setTimeout(check, 4000));
  };
  window.setTimeout(check, 1500);
});
// The glossary: terms of THE MODEL (MQL, BANT, コネクト率...) in the page text get a dotted underline; hovering,
// focusing or tapping one shows its meaning in a tooltip (Escape or a second tap closes it). The terms come from
// content (glossary.yaml) in a JSON data block. Links, buttons, form controls and charts are left alone.
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("glossary-data");
  const main = document.getElementById("main");
  if (!data || !main) return;
  const terms = JSON.parse(data.dataset.terms || "[]");
  if (!terms.length) return;
  const meaning = {};
  const spellings = [];
  terms.forEach((term) => {
    term.spellings.forEach((s) => { spellings.push(s); meaning[s.toLowerCase()] = term; });
  });
  spellings.sort((a, b) => b.length - a.length);
  const escaped = spellings.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  // Latin terms stand as whole words (SQL, not the SQL inside PostgreSQL); Japanese terms have no word gaps
  const pattern = new RegExp("(?<![A-Za-z])(" + escaped.join("|") + ")(?![A-Za-z])", "gi");
  const seen = new RegExp(pattern.source, "i");  // test() on a global pattern would move its lastIndex
  const skip = "a, button, summary, input, textarea, select, option, script, style, svg, code, .term, .visually-hidden, [data-no-glossary], #glossary";
  const tip = document.createElement("div");
  tip.id = "term-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.appendChild(tip);
  const definitions = document.createElement("div");
  definitions.hidden = true;
  terms.forEach((term) => {
    const span = document.createElement("span");
    span.id = "term-meaning-" + term.id;
    span.textContent = term.definition;
    definitions.appendChild(span);
  });
  document.body.appendChild(definitions);
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest(skip) || !seen.test(node.nodeValue)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const found = [];
  while (walker.nextNode()) found.push(walker.currentNode);
  found.forEach((node) => {
    const parts = node.nodeValue.split(pattern);
    const fragment = document.createDocumentFragment();
    parts.forEach((part, index) => {
      if (index % 2 === 0) { if (part) fragment.appendChild(document.createTextNode(part)); return; }
      const term = meaning[part.toLowerCase()];
      // an inline span with the button role, not a <button>: an inline-block would let 「MQL」 break from its 」
      const button = document.createElement("span");
      button.setAttribute("role", "button");
      button.tabIndex = 0;
      button.className = "term";
      button.textContent = part;
      button.dataset.term = term.id;
      button.setAttribute("aria-describedby", "term-meaning-" + term.id);
      button.setAttribute("aria-expanded", "false");
      fragment.appendChild(button);
    });
    node.parentNode.replaceChild(fragment, node);
  });
  let pinned = null;
  const show = (button) => {
    const term = terms.find((t) => t.id === button.dataset.term);
    tip.textContent = "";
    const title = document.createElement("strong");
    title.textContent = term.term;
    tip.append(title, document.createTextNode(" " + term.definition));
    tip.hidden = false;
    const box = button.getBoundingClientRect();
    const width = Math.min(320, document.documentElement.clientWidth - 16);
    tip.style.width = width + "px";
    tip.style.left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8)) + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    button.setAttribute("aria-expanded", "true");
  };
  const hide = () => {
    tip.hidden = true;
    document.querySelectorAll(".term[aria-expanded=true]").forEach((b) => b.setAttribute("aria-expanded", "false"));
    pinned = null;
  };
  main.addEventListener("mouseover", (event) => { const b = event.target.closest(".term"); if (b && !pinned) show(b); });
  main.addEventListener("mouseout", (event) => { if (event.target.closest(".term") && !pinned) hide(); });
  main.addEventListener("focusin", (event) => { const b = event.target.closest(".term"); if (b) show(b); });
  main.addEventListener("focusout", (event) => { if (event.target.closest(".term")) hide(); });
  main.addEventListener("click", (event) => {
    const b = event.target.closest(".term");
    if (!b) return;
    event.preventDefault();  // a term inside a label must not tick its radio button
    if (pinned === b) { hide(); return; }
    show(b);
    pinned = b;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { hide(); return; }
    const b = event.target.closest && event.target.closest(".term");
    if (b && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      if (pinned === b) { hide(); return; }
      show(b);
      pinned = b;
    }
  });
  document.addEventListener("click", (event) => { if (!event.target.closest(".term, #term-tip")) hide(); });
});
// The questionnaire's answer count: statements answered on the other pages plus this page's chosen radios, and the
// time left at about twenty seconds a statement. Updated as answers are chosen.
document.addEventListener("DOMContentLoaded", () => {
  const count = document.querySelector(".answer-count[data-total]");
  const form = document.getElementById("questionnaire");
  if (!count || !form) return;
  const update = () => {
    const names = new Set();
    form.querySelectorAll("input[type=radio][name^=checklist__]:checked").forEach((r) => names.add(r.name));
    const total = Number(count.dataset.total);
    const answered = Math.min(total, Number(count.dataset.elsewhere) + names.size);
    const minutes = Math.ceil(((total - answered) * Number(count.dataset.seconds)) / 60);  // the server's figure per statement (engine/answering_time.py)
    const template = answered < total ? count.dataset.counting : count.dataset.done;
    const text = template.replace("{answered}", answered).replace("{total}", total).replace("{minutes}", minutes);
    if (count.textContent !== text) count.textContent = text;
  };
  update();
  form.addEventListener("change", update);
});
// A comment box opened on demand takes the focus, so the manager types straight away.
document.addEventListener("toggle", (event) => {
  const box = event.target;
  if (box.matches && box.matches("details.comment") && box.open) {
    const area = box.querySelector("textarea");
    if (area && document.activeElement && box.contains(document.activeElement)) area.focus();
  }
}, true);
// A reviewer's page of a shared client (body.read-only): what a form holds stays readable, but nothing in it can
// be changed or sent (the server refuses a reviewer's change anyway, with a 403 that says why).
document.addEventListener("DOMContentLoaded", () => {
  if (!document.body.classList.contains("read-only")) return;
  document.querySelectorAll('main form[method="post"] [name], main form[method="post"] [type="submit"]').forEach((control) => {
    control.disabled = true;
  });
});
