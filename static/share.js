/* "Share" on each post: a copy button beside the permalink. Without JavaScript (or a clipboard) the link is still
   shown, ready to select and copy, so this file only adds convenience. Loaded as a file: the CSP allows no inline
   scripts. The sentences it shows come translated in the button's data-copied and data-copy-hint attributes
   (templates/community/_share.html): this file holds no English. */

(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".share-status");
    if (!input) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () {
          if (status) { status.textContent = button.getAttribute("data-copied") || ""; }
        },
        function () {
          input.focus();
          input.select();
          if (status) { status.textContent = button.getAttribute("data-copy-hint") || ""; }
        }
      );
    });
  });
  document.querySelectorAll(".share-box input[readonly]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
