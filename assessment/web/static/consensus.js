// The consensus page saves each item as soon as it is set: a POST per item with the page's CSRF token, what the page
// showed for the item ("was") and the new values. Each item says whether it is saved; a failed save offers a retry,
// a conflict (someone else saved the item meanwhile) shows both values and keeps theirs until "keep my answer".
// Leaving the page warns only while an item is not saved. Without this script the form's button saves everything.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("consensus-form");
  if (!form || !window.fetch || !form.dataset.autosave) return;
  const words = form.dataset;
  const token = form.querySelector("input[name=csrf_token]");
  const states = new Map();  // item id -> dirty | saving | saved | failed | conflict
  const timers = new Map();
  const again = new Set();  // changed while its save was on the way: send once more when it returns
  let submitting = false;
  const hint = document.getElementById("autosave-hint");
  if (hint) hint.hidden = false;

  const parts = (fieldset) => ({
    id: fieldset.dataset.item,
    final: fieldset.querySelector("select[name^='final-']"),
    note: fieldset.querySelector("textarea[name^='note-']"),
    wasFinal: fieldset.querySelector("input[name^='was-final-']"),
    wasNote: fieldset.querySelector("input[name^='was-note-']"),
    status: fieldset.querySelector(".save-state"),
  });

  const show = (fieldset, state, message) => {
    const p = parts(fieldset);
    states.set(p.id, state);
    fieldset.dataset.saveState = state;
    const text = { dirty: words.unsaved, saving: words.saving, saved: words.saved, failed: words.failed };
    p.status.hidden = false;
    p.status.classList.toggle("field-error", state === "failed" || state === "conflict");
    p.status.querySelector(".save-text").textContent =
      state === "failed" ? (message || words.failed) + " —" : (message || text[state] || "");
    p.status.querySelector(".retry").hidden = state !== "failed";
    p.status.querySelector(".keep-mine").hidden = state !== "conflict";
  };

  const save = (fieldset) => {
    const p = parts(fieldset);
    window.clearTimeout(timers.get(p.id));
    if (states.get(p.id) === "saving") { again.add(p.id); return; }
    const body = new URLSearchParams();
    body.set("csrf_token", token ? token.value : "");
    body.set("item", p.id);
    body.set("final", p.final.value);
    body.set("note", p.note.value);
    body.set("was-final", p.wasFinal.value);
    body.set("was-note", p.wasNote.value);
    show(fieldset, "saving");
    const settle = (state, message) => {
      if (again.delete(p.id)) { states.set(p.id, "dirty"); save(fieldset); return; }
      show(fieldset, state, message);
    };
    fetch(form.dataset.autosave, {
      method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" },
    }).then((response) => response.json().catch(() => ({})).then((data) => {
      if (response.ok) {
        p.wasFinal.value = data.final;
        p.wasNote.value = data.note;
        settle("saved");
      } else if (response.status === 409) {
        // what is stored now becomes what this page "saw": keeping one's own answer is then a knowing choice
        p.wasFinal.value = data.final;
        p.wasNote.value = data.note;
        again.delete(p.id);
        show(fieldset, "conflict", data.message);
      } else {
        settle("failed", response.status === 422 ? data.message : "");
      }
    }), () => settle("failed"));
  };

  const itemOf = (target) => target.closest && target.closest("fieldset.consensus-item[data-item]");
  form.addEventListener("change", (event) => {
    const fieldset = itemOf(event.target);
    if (fieldset) save(fieldset);
  });
  form.addEventListener("input", (event) => {
    const fieldset = itemOf(event.target);
    if (!fieldset || event.target.tagName !== "TEXTAREA") return;
    const id = fieldset.dataset.item;
    if (states.get(id) !== "saving") show(fieldset, "dirty");
    window.clearTimeout(timers.get(id));
    timers.set(id, window.setTimeout(() => save(fieldset), 1200));
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".retry, .keep-mine");
    const fieldset = button && itemOf(button);
    if (fieldset) save(fieldset);
  });
  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (submitting) return;
    const unsaved = [...states.values()].some((state) => state !== "saved");
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = "";
  });
});
