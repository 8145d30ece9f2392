// The proposal page: a snippet's "Insert" button puts the snippet's text where the cursor was in the narrative
// textarea the consultant last wrote in (replacing a selection), or, before any was focused, at the end of the
// first textarea in the snippet's language. Without this script the buttons stay hidden and the text is there to copy.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("narrative-form");
  const buttons = document.querySelectorAll("button.insert-snippet");
  if (!form || !buttons.length) return;
  const status = document.getElementById("insert-status");
  let last = null;
  form.querySelectorAll("textarea").forEach((area) => {
    area.addEventListener("focus", () => { last = area; });
  });

  const firstIn = (lang) =>
    form.querySelector(`[lang="${lang}"] textarea`) || form.querySelector("textarea");

  const insert = (area, text) => {
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  };

  buttons.forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const source = document.getElementById(button.dataset.body);
      const area = last || firstIn(button.dataset.lang);
      if (!source || !area) return;
      if (!last) area.setSelectionRange(area.value.length, area.value.length);
      insert(area, source.textContent);
      if (status) status.textContent = button.dataset.inserted || "";
    });
  });
});
