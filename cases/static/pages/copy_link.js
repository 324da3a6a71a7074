// The copy button beside a read-only link (the buyer's survey link on the case page): copies it to
// the clipboard and says so. Without this script the button stays hidden and the link is a
// read-only field to select and copy by hand.
(function () {
  "use strict";
  document.querySelectorAll(".copy-link").forEach(function (box) {
    const button = box.querySelector("button[data-copy]");
    const field = button && document.getElementById(button.dataset.copy);
    const status = box.querySelector(".copy-status");
    if (!field) return;
    function say(text) {
      if (status) status.textContent = text;
    }
    function copiedByHand() {
      field.focus();
      field.select();
      try {
        return document.execCommand("copy");
      } catch (error) {
        return false;
      }
    }
    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      const done = function () { say(box.dataset.copied); };
      const byHand = function () { say(copiedByHand() ? box.dataset.copied : box.dataset.copyFailed); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, byHand);
      } else {
        byHand();
      }
    });
    button.hidden = false;
  });
})();
