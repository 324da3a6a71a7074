// "Use this reply" on a similar resolved case: puts its reply in the reply box, to be edited and
// sent by the agent (nothing is sent here). The box's own phrase check runs on the new text.
(function () {
  "use strict";
  const panel = document.getElementById("similar-cases");
  if (!panel) return;
  panel.addEventListener("click", function (event) {
    const button = event.target.closest("button.use-reply");
    if (!button) return;
    const box = document.querySelector("#reply-box textarea");
    if (!box) return;
    box.value = button.dataset.reply;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
    box.scrollIntoView({ block: "center" });
  });
})();
