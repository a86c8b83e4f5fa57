// Keeps what was typed in the work-log form in the browser until the server confirms it saved
// the entry, so a submit lost to a network drop or a server restart can be sent again. The
// draft keeps the form's client token: a resubmitted draft is recognised by the server as the
// same entry, never a second one.
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }

  var saved = document.getElementById("saved-token");
  if (saved && saved.dataset.token) {
    // The list page after a successful save: drop the draft that produced it.
    Object.keys(store).forEach(function (key) {
      if (key.indexOf("worklog-") === 0) {
        try {
          if (JSON.parse(store.getItem(key)).client_token === saved.dataset.token) { store.removeItem(key); }
        } catch (e) { store.removeItem(key); }
      }
    });
    return;
  }

  var form = document.getElementById("log-form");
  if (!form) { return; }
  var key = form.dataset.draftKey;
  var hasServerErrors = form.querySelector(".is-invalid, .invalid-feedback") !== null;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit" && el.name !== "csrf_token" && el.type !== "checkbox";
    });
  }

  function save() {
    var draft = {};
    fields().forEach(function (el) { draft[el.name] = el.value; });
    store.setItem(key, JSON.stringify(draft));
  }

  var raw = store.getItem(key);
  if (raw && !hasServerErrors) {
    try {
      var draft = JSON.parse(raw);
      fields().forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(draft, el.name)) { el.value = draft[el.name]; }
      });
      document.getElementById("draft-restored").hidden = false;
    } catch (e) { store.removeItem(key); }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
