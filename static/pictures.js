/* Pictures in a composer (templates/_macros/pictures.html), as progressive enhancement: without this file every
   slot is a plain file field with its description, sent in one multipart submit. With it, a member sees a thumbnail
   of each chosen file before posting and can take one back (a real button, so keyboards reach it), slots open one
   at a time, and a large upload shows its progress while it is sent (XHR upload events). Thumbnails are read as
   data: URLs (the CSP allows images from this site and data: only). This file holds no English: every word comes
   from the page. */

(function () {
  "use strict";
  if (!window.FileReader || !window.FormData) {
    return;
  }
  var LARGE = 1024 * 1024; // below this an upload is quick enough without a progress bar

  function slotParts(slot) {
    return {
      file: slot.querySelector('input[type="file"]'),
      alt: slot.querySelector('input[name="image_alt"]'),
      preview: slot.querySelector(".picture-preview"),
      thumb: slot.querySelector(".picture-preview .picture-thumb"),
      clear: slot.querySelector("[data-picture-clear]")
    };
  }

  function showPreview(parts) {
    var chosen = parts.file.files && parts.file.files[0];
    parts.thumb.textContent = "";
    if (!chosen) {
      parts.preview.hidden = true;
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var image = document.createElement("img");
      image.alt = ""; // the description field beside it says what it shows
      image.src = reader.result;
      parts.thumb.appendChild(image);
      parts.preview.hidden = false;
    };
    reader.readAsDataURL(chosen);
  }

  function openSlots(slots) {
    // Every slot holding a file stays open, plus the first empty one, so the list grows as pictures are chosen.
    var emptyShown = false;
    slots.forEach(function (slot) {
      var parts = slotParts(slot);
      var used = parts.file.files && parts.file.files.length > 0;
      var invalid = slot.querySelector('[aria-invalid="true"]') !== null;
      slot.hidden = !(used || invalid || !emptyShown);
      if (!used) {
        emptyShown = true;
      }
    });
  }

  function setUpSlot(slot, slots) {
    var parts = slotParts(slot);
    if (!parts.file || !parts.preview || !parts.clear || !parts.thumb) {
      return;
    }
    parts.file.addEventListener("change", function () {
      showPreview(parts);
      openSlots(slots);
    });
    parts.clear.addEventListener("click", function () {
      parts.file.value = "";
      parts.alt.value = "";
      showPreview(parts);
      openSlots(slots);
      parts.file.focus();
    });
  }

  function chosenBytes(form) {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll('input[type="file"]'), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        total += file.size;
      });
    });
    return total;
  }

  function showPage(xhr) {
    // The answer is a whole page (the post, or the form with what to fix): show it as a navigation would.
    document.open();
    document.write(xhr.responseText);
    document.close();
    if (xhr.responseURL && window.history.replaceState) {
      window.history.replaceState(null, "", xhr.responseURL);
    }
  }

  function sendWithProgress(form, status) {
    var bar = status.querySelector("progress");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable && bar) {
        bar.value = Math.round((event.loaded / event.total) * 100);
      }
    });
    xhr.addEventListener("load", function () {
      showPage(xhr);
    });
    xhr.addEventListener("error", function () {
      form.submit(); // the plain submit, as without this file
    });
    status.hidden = false;
    xhr.send(new FormData(form));
  }

  function setUpForm(fieldset) {
    var form = fieldset.form || fieldset.closest("form");
    var status = fieldset.querySelector(".upload-progress");
    var slots = Array.prototype.slice.call(fieldset.querySelectorAll(".picture-slot"));
    slots.forEach(function (slot) {
      setUpSlot(slot, slots);
    });
    openSlots(slots);
    if (!form || !status || !window.XMLHttpRequest) {
      return;
    }
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || chosenBytes(form) < LARGE) {
        return;
      }
      event.preventDefault();
      sendWithProgress(form, status);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-pictures]"), setUpForm);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
