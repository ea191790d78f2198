/* Name suggestions while typing a message recipient ("To") or an @mention in a post. Progressive enhancement: the
   fields work the same without this file (names typed in full). Loaded as a file: the CSP allows no inline
   scripts. It asks the JSON endpoint in the field's data-suggest-url (members.suggest), which answers display names
   only, for signed-in members, never suspended, erased or blocked ones. Suggestions are inserted as text (never as
   HTML). This file holds no English: the list is names only. */

(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  var WAIT_MS = 150;
  var counter = 0;

  function setUp(field) {
    var url = field.getAttribute("data-suggest-url");
    var mode = field.getAttribute("data-suggest");
    if (!url || (mode !== "message" && mode !== "mention")) {
      return;
    }
    counter += 1;
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.id = (field.id || "field") + "-suggestions-" + counter;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    field.parentNode.insertBefore(list, field.nextSibling);
    // A one-line field becomes a combobox; a textarea stays a textbox, which takes no aria-expanded.
    var combobox = field.tagName === "INPUT";
    if (combobox) {
      field.setAttribute("role", "combobox");
    }
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    expanded(false);
    var timer = null;
    var active = -1;
    var names = [];
    var asked = 0;

    function typed() {
      var before = field.value.slice(0, field.selectionStart || 0);
      if (mode === "message") {
        var parts = before.split(/[,\u060c]/);
        var last = parts[parts.length - 1];
        return { text: last.replace(/^\s+/, ""), start: before.length - last.length };
      }
      var bracketed = /(^|\s)@\[([^\]\n@]{1,40})$/.exec(before);
      var plain = /(^|\s)@([^\s@\[\]]{1,40})$/.exec(before);
      var found = bracketed || plain;
      if (!found) {
        return { text: "", start: 0 };
      }
      return { text: found[2], start: before.length - found[2].length - (bracketed ? 2 : 1) };
    }

    function expanded(open) {
      if (combobox) {
        field.setAttribute("aria-expanded", open ? "true" : "false");
      }
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      names = [];
      active = -1;
      expanded(false);
      field.removeAttribute("aria-activedescendant");
    }

    function show(found) {
      close();
      names = found;
      if (!names.length) {
        return;
      }
      names.forEach(function (name, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = name;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          choose(index);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      expanded(true);
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, n) {
        option.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      active = index;
      if (options[index]) {
        field.setAttribute("aria-activedescendant", options[index].id);
      }
    }

    function choose(index) {
      var name = names[index];
      if (!name) {
        return;
      }
      var where = typed();
      var caret = field.selectionStart || 0;
      var head = field.value.slice(0, where.start);
      var inserted = "@[" + name + "] ";
      if (mode === "message") {
        head = head.replace(/\s+$/, "");
        inserted = (head ? " " : "") + name + ", ";
      }
      field.value = head + inserted + field.value.slice(caret);
      var end = head.length + inserted.length;
      field.setSelectionRange(end, end);
      close();
      field.focus();
    }

    function lookUp() {
      var text = typed().text;
      if (!text || text.length > 40) {
        close();
        return;
      }
      asked += 1;
      var mine = asked;
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "for=" + mode + "&q=" + encodeURIComponent(text);
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { members: [] };
        })
        .then(function (data) {
          if (mine === asked) {
            show((data.members || []).map(function (member) { return String(member.name); }));
          }
        })
        .catch(close);
    }

    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, WAIT_MS);
    });
    field.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + names.length) % names.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    field.addEventListener("blur", close);
  }

  document.querySelectorAll("[data-suggest]").forEach(setUp);
})();
