/* Drafts: a composer saves what is typed a few seconds after the member stops, so no text is ever lost. Without
   JavaScript nothing changes: the server keeps the text whenever a post cannot be sent. Loaded as a file (the CSP
   allows no inline scripts); the sentences come from the server (the save answer's message, and the bar's
   data-draft-failed attribute in templates/drafts/_composer.html): this file holds no English. */

(function () {
  "use strict";
  var QUIET_MS = 3000;
  if (!window.fetch || !window.FormData) {
    return;
  }
  document.querySelectorAll("[data-draft-save]").forEach(function (bar) {
    var form = bar.closest("form");
    var status = bar.querySelector(".draft-status");
    var discard = bar.querySelector(".draft-discard");
    var timer = null;
    var sending = false;
    var again = false;
    var sent = null;
    if (!form || !status) {
      return;
    }

    function say(text) {
      if (status.textContent !== text) { status.textContent = text; }
    }

    function texts() {
      // The words only: never the chosen pictures (they are sent with the post, not with every save). The form's
      // submission_key goes along, so a save arriving after its form was sent keeps nothing.
      var data = new FormData(form);
      Array.from(data.keys()).forEach(function (name) {
        if (data.getAll(name).some(function (value) { return value instanceof File; })) { data.delete(name); }
      });
      return data;
    }

    function snapshot(data) {
      return ["title", "subject", "to", "body"].map(function (name) { return data.get(name) || ""; }).join("\u0000");
    }

    function save() {
      timer = null;
      if (sending) { again = true; return; }
      var data = texts();
      var now = snapshot(data);
      if (now === sent) { return; }
      sending = true;
      fetch(bar.getAttribute("data-draft-save"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (answer) {
        sent = now;
        say(answer.message || "");
        if (discard) { discard.hidden = !answer.saved; }
      }).catch(function () {
        say(bar.getAttribute("data-draft-failed") || "");
      }).then(function () {
        sending = false;
        if (again) { again = false; later(); }
      });
    }

    function later() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, QUIET_MS);
    }

    sent = snapshot(texts());
    form.addEventListener("input", later);
    form.addEventListener("submit", function () {
      if (timer) { clearTimeout(timer); timer = null; }
    });
  });
})();
