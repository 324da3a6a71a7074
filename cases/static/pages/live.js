// What changed while the page is open, without a reload: the bell's unread count on every page;
// on the queue, the counts per tab and per state, a bar when new cases arrived in the tab, and the
// rows someone else took, greyed out with who took it. One small GET every data-live-every
// seconds while the tab is visible (none while it is hidden); the server answers 304 when nothing
// changed. Without JavaScript the pages are as they were when drawn.
(function () {
  "use strict";
  const body = document.body;
  const url = body.dataset.live;
  if (!url || !window.fetch) return;
  const every = Math.max(1, Number(body.dataset.liveEvery) || 20) * 1000;
  const queue = document.getElementById("queue-live");
  let timer = null;
  let busy = false;

  function question() {
    if (!queue) return url;
    const params = new URLSearchParams(queue.dataset.query);
    params.set("queue", "1");
    params.set("after", queue.dataset.after || "0");
    params.set("ids", queue.dataset.ids || "");
    return url + "?" + params.toString();
  }

  function showBell(unread) {
    const badge = document.getElementById("unread");
    if (!badge || !unread) return;
    badge.textContent = String(unread.count);
    badge.setAttribute("aria-label", unread.label);
    badge.hidden = unread.count === 0;
  }

  function showTabs(tabs) {
    document.querySelectorAll(".tab-count[data-tab]").forEach(function (span) {
      const n = tabs[span.dataset.tab];
      if (typeof n === "number") span.textContent = String(n);
    });
  }

  function showStates(states) {
    const line = document.getElementById("state-counts");
    if (!line) return;
    line.replaceChildren.apply(line, states.map(function (s) {
      const span = document.createElement("span");
      span.className = "state state-" + s.state;
      span.textContent = s.label + " " + s.n;
      return span;
    }));
  }

  function showNew(news) {
    const bar = document.getElementById("live-new");
    if (!bar) return;
    bar.hidden = news.count === 0;
    bar.querySelector("a").textContent = news.label;
  }

  function showRows(rows) {
    const me = queue.dataset.me;
    rows.forEach(function (now) {
      const cell = document.querySelector("#queue-rows td.assignee[data-case='" + now.id + "']");
      if (!cell) return;
      const row = cell.closest("tr");
      const other = now.assignee && now.assignee !== me && now.assignee !== cell.dataset.name;
      if (!other || row.classList.contains("taken")) return;
      row.classList.add("taken");
      row.setAttribute("aria-disabled", "true");
      // "Taken by agent2" in the assignee's cell (words of the page around a name), no claim
      const note = document.createElement("span");
      note.className = "taken-by";
      note.textContent = now.taken;
      cell.removeAttribute("translate");
      cell.replaceChildren(note);
      row.title = now.taken;
      const claim = row.querySelector("form.claim");
      if (claim) claim.remove();
    });
  }

  function apply(answer) {
    showBell(answer.unread);
    if (queue && answer.tabs) {
      showTabs(answer.tabs);
      showStates(answer.states);
      showNew(answer.new);
      showRows(answer.rows);
    }
  }

  function later() {
    clearTimeout(timer);
    timer = document.hidden ? null : setTimeout(ask, every);
  }

  function ask() {
    if (busy || document.hidden) return;
    busy = true;
    // "no-cache": the browser asks with the answer's ETag and is told 304 when nothing changed.
    fetch(question(), { credentials: "same-origin", cache: "no-cache",
                        headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) return null;  // logged out
        return response.ok ? response.json().then(apply).then(later) : later();
      })
      .catch(later)
      .finally(function () { busy = false; });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { clearTimeout(timer); timer = null; } else { ask(); }
  });
  later();
}());
