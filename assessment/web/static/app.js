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
