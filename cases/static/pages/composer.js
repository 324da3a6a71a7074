// The reply composer: checks a message or public reply for phrases to avoid while it is typed,
// and shows each hit with the wording to use instead. Without JavaScript the server still checks
// on submit (a public reply with a hit is refused; a message is saved with warnings).
(function () {
  "use strict";
  const composer = document.getElementById("composer");
  if (!composer) return;
  const url = composer.dataset.url;
  const csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function render(box, text, hits) {
    box.replaceChildren();
    if (!text.trim()) return;
    if (!hits.length) {
      box.textContent = composer.dataset.none;
      box.className = "phrase-check ok";
      return;
    }
    box.className = "phrase-check hits";
    const preview = document.createElement("p");
    let at = 0;
    hits.forEach(function (hit) {
      preview.append(text.slice(at, hit.start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(hit.start, hit.end);
      mark.title = composer.dataset.instead + ": " + hit.suggestion;
      preview.append(mark);
      at = hit.end;
    });
    preview.append(text.slice(at));
    const list = document.createElement("ul");
    hits.forEach(function (hit) {
      const item = document.createElement("li");
      item.textContent = "“" + hit.phrase + "” → " + composer.dataset.instead + ": " + hit.suggestion;
      list.append(item);
    });
    box.append(preview, list);
  }

  document.querySelectorAll("textarea[data-phrase-check]").forEach(function (area) {
    const box = document.createElement("div");
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    area.after(box);
    let timer = null;
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        const text = area.value;
        fetch(url, {
          method: "POST", credentials: "same-origin",
          headers: {"X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"},
          body: new URLSearchParams({text: text}),
        }).then(function (r) { return r.ok ? r.json() : {hits: []}; })
          .then(function (data) { if (area.value === text) render(box, text, data.hits || []); });
      }, 250);
    });
  });
})();
