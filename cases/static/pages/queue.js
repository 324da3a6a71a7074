// The queue's keys and its bulk bar. Without JavaScript the page still works: every row links to
// its case, claim buttons and the claim-next button are forms, the bulk bar is a plain form that
// the rows' checkboxes belong to, and the keys' list is a <details> anyone can open.
(function () {
  "use strict";
  const table = document.getElementById("queue-rows");
  const keys = document.getElementById("keys");
  const rows = table ? Array.from(table.querySelectorAll("tbody tr")) : [];
  let focused = -1;

  function focusRow(index) {
    if (!rows.length) return;
    focused = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("focused", i === focused); });
    const row = rows[focused];
    row.setAttribute("tabindex", "-1");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) !== -1);
  }

  function submit(form) {
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const row = rows[focused];
    switch (event.key) {
      case "j": focusRow(focused + 1); break;
      case "k": focusRow(focused < 0 ? 0 : focused - 1); break;
      case "Enter":
        if (!row || event.target.closest("a, button, summary")) return;
        window.location.assign(row.querySelector("a.open").href);
        break;
      case "c": if (row) submit(row.querySelector("form.claim")); break;
      case "n": submit(document.getElementById("claim-next")); break;
      case "/": {
        const search = document.getElementById("id_q");
        if (search) search.focus();
        break;
      }
      case "?": if (keys) keys.open = !keys.open; break;
      default: return;
    }
    event.preventDefault();
  });

  // A click on a row focuses it for the keys (links and boxes keep their own click).
  rows.forEach(function (row, i) {
    row.addEventListener("click", function () { focusRow(i); });
  });

  // Bulk: "select all on this page", and the bar shown only while something is selected.
  const bar = document.getElementById("bulk");
  const all = document.getElementById("select-all");
  if (!bar || !all) return;
  const boxes = Array.from(document.querySelectorAll("input[name=ids][form=bulk]"));
  const count = document.getElementById("bulk-count");
  const label = count.textContent;
  all.hidden = false;

  function update() {
    const picked = boxes.filter(function (box) { return box.checked; }).length;
    bar.classList.toggle("idle", picked === 0);
    all.checked = picked > 0 && picked === boxes.length;
    all.indeterminate = picked > 0 && picked < boxes.length;
    count.textContent = label + " " + picked;
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
}());
