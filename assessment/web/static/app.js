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
      }
    }, () => window.setTimeout(check, 4000));
  };
  window.setTimeout(check, 1500);
});
