/* Preview in place. Progressive enhancement: without this file the Preview button (templates/_macros/compose.html)
   sends the form and the page comes back with the preview. With it, the button asks POST /preview (app/main/preview.py)
   for the same cooked HTML, sent with the page's CSRF token, and shows it in the region beside the form, which is an
   aria-live region, so screen readers hear it. The answer is HTML our sanitiser produced (app/text/rendering.py), the
   same that will be stored. This file holds no English: the message on failure comes from the button. */

(function () {
  "use strict";
  if (!window.fetch || !window.FormData) {
    return;
  }

  function show(region, output, html) {
    region.hidden = false;
    output.innerHTML = html; // sanitised server-side by the one renderer every stored text goes through
  }

  function failed(region, output, button) {
    var note = document.createElement("p");
    note.className = "error";
    note.textContent = button.getAttribute("data-preview-failed");
    output.textContent = "";
    output.appendChild(note);
    region.hidden = false;
  }

  function setUp(button) {
    var form = button.form;
    var field = document.getElementById(button.getAttribute("data-preview-for"));
    var region = document.getElementById(button.getAttribute("aria-controls"));
    var output = region && region.querySelector("[data-preview-output]");
    var token = form && form.querySelector("input[name='csrf_token']");
    if (!form || !field || !output || !token) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData();
      data.append("csrf_token", token.value);
      data.append("body", field.value);
      data.append("kind", button.getAttribute("data-preview-kind"));
      button.setAttribute("aria-busy", "true");
      fetch(button.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok || response.redirected) { // signed out meanwhile: the sign-in page is no preview
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          show(region, output, html);
        })
        .catch(function () {
          failed(region, output, button);
        })
        .then(function () {
          button.removeAttribute("aria-busy");
        });
    });
  }

  document.querySelectorAll("button[data-preview-url]").forEach(setUp);
})();
