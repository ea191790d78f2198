/* Passkeys (WebAuthn). Progressive enhancement: the forms marked data-passkey stay hidden without this file (the
   pages say so in <noscript>), and the rest of each page works without it. With it, a form asks its
   data-options-url for options (POST with the page's CSRF token), hands them to the browser's passkey prompt, and
   posts the answer to the form's action; the server answers with where to go next, or a sentence to show.
   Binary fields travel as base64url, as py_webauthn reads and writes them. This file holds no English: every message
   comes from the page. */

(function () {
  "use strict";

  function supported() {
    return !!(window.fetch && window.PublicKeyCredential && navigator.credentials && window.Uint8Array);
  }

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) {
      return null;
    }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return { publicKey: options };
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return { publicKey: options };
  }

  function answer(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      json.response.userHandle = toText(response.userHandle);
    }
    return json;
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(
        function (data) {
          return { ok: response.ok, data: data || {} };
        },
        function () {
          return { ok: false, data: {} };
        }
      );
    });
  }

  function Refusal(data) {
    this.message = data.error;
    this.field = data.field;
  }

  function setUp(form) {
    var register = form.getAttribute("data-passkey") === "register";
    var token = form.querySelector("input[name='csrf_token']");
    var message = form.querySelector("[data-passkey-message]");
    var button = form.querySelector("button[type='submit']");
    if (!token || !message || !button) {
      return;
    }
    form.hidden = false;

    function say(text) {
      message.textContent = text;
      message.hidden = !text;
    }

    function value(name) {
      var input = form.querySelector("input[name='" + name + "']");
      return input ? input.value : "";
    }

    function mark(name) {
      form.querySelectorAll("input[aria-invalid]").forEach(function (input) {
        input.removeAttribute("aria-invalid");
      });
      var input = name && form.querySelector("input[name='" + name + "']");
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
      }
    }

    function optionsBody() {
      // Adding a passkey asks for the password before the device is asked for anything.
      return register ? { current_password: value("current_password") } : {};
    }

    function extra() {
      if (register) {
        return { name: value("name") };
      }
      var remember = document.getElementById(form.getAttribute("data-remember") || "");
      return { remember: !!(remember && remember.checked) };
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.getAttribute("aria-busy") === "true") {
        return;
      }
      say("");
      button.setAttribute("aria-busy", "true");
      mark(null);
      post(form.getAttribute("data-options-url"), token.value, optionsBody())
        .then(function (reply) {
          if (!reply.ok) {
            throw new Refusal(reply.data);
          }
          return register
            ? navigator.credentials.create(creationOptions(reply.data))
            : navigator.credentials.get(requestOptions(reply.data));
        })
        .then(function (credential) {
          var body = extra();
          body.credential = answer(credential);
          return post(form.action, token.value, body);
        })
        .then(function (reply) {
          if (!reply.ok || !reply.data.redirect) {
            throw new Refusal(reply.data);
          }
          window.location.assign(reply.data.redirect);
        })
        .catch(function (error) {
          button.removeAttribute("aria-busy");
          if (error instanceof Refusal && error.message) {
            say(error.message);
            mark(error.field);
          } else if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
            say(form.getAttribute("data-cancelled"));
          } else {
            say(form.getAttribute("data-failed"));
          }
        });
    });
  }

  var forms = document.querySelectorAll("form[data-passkey]");
  if (!supported()) {
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) {
      note.hidden = false;
    });
    return;
  }
  forms.forEach(setUp);
})();
