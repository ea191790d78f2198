/* A live character count under fields with a maxlength (titles and bodies of composers): "1,234 of 20,000
   characters". Loaded by templates/_macros/compose.html; the sentences come from the field's data-counter and
   data-counter-near attributes (translated in templates/_macros/forms.html), so this file holds no English.
   Screen readers are not told every keystroke: the count is part of the field's description (read on focus), and
   a polite status speaks only when the text comes near the limit and when it reaches it. */

(function () {
  "use strict";
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function nearFrom(limit) {
    return Math.max(20, Math.round(limit / 10));
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? numbers.format(values[name]) : whole;
    });
  }

  function setUp(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    var template = field.getAttribute("data-counter");
    var nearTemplate = field.getAttribute("data-counter-near");
    if (!limit || !template || !nearTemplate) {
      return;
    }
    var shown = document.createElement("p");
    shown.className = "counter";
    shown.id = field.id + "-count";
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var after = field.parentNode.querySelector("#" + CSS.escape(field.id) + "-help") || field;
    after.parentNode.insertBefore(status, after.nextSibling);
    after.parentNode.insertBefore(shown, after.nextSibling);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + shown.id);
    var spoken = null; // the last thing the status said: "near" or "full"

    function update() {
      var count = field.value.length;
      var left = Math.max(0, limit - count);
      var near = left <= nearFrom(limit);
      shown.textContent = fill(template, { count: count, limit: limit });
      shown.classList.toggle("counter-near", near);
      var state = left === 0 ? "full" : near ? "near" : null;
      if (state !== spoken) {
        status.textContent = state ? fill(nearTemplate, { left: left }) : "";
        spoken = state;
      }
    }

    field.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("input[maxlength][data-counter], textarea[maxlength][data-counter]").forEach(setUp);
})();
