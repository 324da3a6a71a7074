// Quick replies (快捷短语) in the reply box: type "/" and a shortcut (or press the button), pick one
// with the arrow keys and Enter (or a click), and its text, filled for this case by the server,
// takes the place of what was typed. A variable the server could not fill stays as {name}: the
// box says so, and the server refuses to send the reply until it is filled in or removed.
(function () {
  "use strict";
  const area = document.querySelector("textarea[data-quick-replies]");
  if (!area) return;
  const listUrl = area.dataset.quickReplies;
  const useUrl = area.dataset.useUrl; // ends in /0/use/: the reply's id takes the place of 0
  const caseId = area.dataset.case;
  const language = document.documentElement.lang || "";
  const csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  const unfilledNote = document.getElementById("unfilled-variables");
  const button = document.getElementById("quick-reply-button");
  const menu = document.createElement("ul");
  menu.className = "quick-replies";
  menu.id = "quick-reply-menu";
  menu.setAttribute("role", "listbox");
  menu.setAttribute("aria-label", area.dataset.menuLabel || "");
  menu.hidden = true;
  area.after(menu);
  area.setAttribute("aria-controls", menu.id);
  let replies = null;
  let shown = [];
  let active = 0;
  let token = null; // {start, end} of the "/shortcut" being typed, or null (opened by the button)
  let blurTimer = null;

  function load() {
    if (replies) return Promise.resolve(replies);
    return fetch(listUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) {
        const rows = Array.isArray(data) ? data : (data.results || []);
        // The page's language first, then the other; within each, the most used first.
        rows.sort(function (a, b) {
          return (b.language === language) - (a.language === language) ||
            (b.usage_count || 0) - (a.usage_count || 0);
        });
        replies = rows;
        return rows;
      });
  }

  function typedToken() {
    const before = area.value.slice(0, area.selectionStart);
    const match = /(^|\s)\/([^\s\/]*)$/.exec(before);
    if (!match) return null;
    return {start: before.length - match[2].length - 1, end: area.selectionStart, word: match[2]};
  }

  function render(word) {
    clearTimeout(blurTimer);
    const q = (word || "").toLowerCase();
    // Shortcuts that start with what was typed first, then titles that contain it.
    const all = replies || [];
    const byShortcut = all.filter(function (r) { return r.shortcut.toLowerCase().startsWith(q); });
    const byTitle = q ? all.filter(function (r) {
      return !byShortcut.includes(r) && r.title.toLowerCase().includes(q);
    }) : [];
    shown = byShortcut.concat(byTitle).slice(0, 8);
    menu.replaceChildren();
    if (!shown.length) { close(); return; }
    active = Math.min(active, shown.length - 1);
    shown.forEach(function (reply, i) {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "quick-reply-" + reply.id;
      item.setAttribute("aria-selected", String(i === active));
      const head = document.createElement("strong");
      head.textContent = "/" + reply.shortcut + " · " + reply.title;
      const text = document.createElement("span");
      text.textContent = reply.filled || reply.body;
      item.append(head, text);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      menu.append(item);
    });
    menu.hidden = false;
    area.setAttribute("aria-activedescendant", "quick-reply-" + shown[active].id);
  }

  function close() {
    menu.hidden = true;
    shown = [];
    token = null;
    area.removeAttribute("aria-activedescendant");
  }

  function choose(i) {
    const reply = shown[i];
    const at = token || {start: area.selectionStart, end: area.selectionEnd};
    close();
    fetch(useUrl.replace(/\/0\/use\/$/, "/" + reply.id + "/use/"), {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({case: Number(caseId)}),
    }).then(function (r) { return r.ok ? r.json() : {filled: reply.filled || reply.body}; })
      .then(function (data) {
        const text = data.filled;
        area.value = area.value.slice(0, at.start) + text + area.value.slice(at.end);
        const caret = at.start + text.length;
        area.setSelectionRange(caret, caret);
        area.focus();
        area.dispatchEvent(new Event("input", {bubbles: true}));
      });
  }

  function showUnfilled() {
    if (!unfilledNote) return;
    const names = Array.from(new Set((area.value.match(/\{[A-Za-z_][A-Za-z0-9_]*\}/g) || [])));
    unfilledNote.hidden = !names.length;
    unfilledNote.querySelector("span").textContent = names.join(" ");
  }

  area.addEventListener("input", function () {
    showUnfilled();
    token = typedToken();
    if (!token) { if (!menu.hidden) close(); return; }
    active = 0;
    load().then(function () { if (token) render(token.word); });
  });
  area.addEventListener("keydown", function (event) {
    if (menu.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      render(token ? token.word : "");
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  area.addEventListener("blur", function () { blurTimer = setTimeout(close, 150); });
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      area.focus();
      token = null;
      active = 0;
      load().then(function () { render(""); });
    });
  }
  showUnfilled();
})();
