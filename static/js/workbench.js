// The price workbench (catalog/admin/workbench.py): Enter saves a row by fetch and the
// server's redrawn row replaces it, so the editor stays in place. Without this file
// each row's form posts and the page comes back with a message.
(function () {
  "use strict";

  function announce(text) {
    var status = document.getElementById("workbench-status");
    if (status) status.textContent = text;
  }

  // Keyboard first: on arrival the search box has the focus; after a search (or back
  // from a save without this file) the first price cell of the row to edit has it.
  function focusOnArrival() {
    var target = null;
    var row = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (row) {
      target = row.querySelector("input[inputmode=decimal]");
    } else if (new URLSearchParams(window.location.search).get("q")) {
      target = document.querySelector("#workbench input[inputmode=decimal]");
    }
    target = target || document.getElementById("searchbar");
    if (target) {
      target.focus();
      if (target.select) target.select();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusOnArrival);
  } else {
    focusOnArrival();
  }

  // Enter on the "I have checked these figures" box saves too (a checkbox does not
  // submit its form on Enter by itself).
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || box.type !== "checkbox" || !box.form) return;
    if (!box.form.classList.contains("workbench-form")) return;
    event.preventDefault();
    box.form.requestSubmit();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("workbench-form")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    var row = form.closest("tr");
    var rowId = row.id;
    var focused = document.activeElement && document.activeElement.name;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.row) {
          row.outerHTML = data.row;
          var fresh = document.getElementById(rowId);
          var target = fresh && (
            fresh.querySelector("input[type=checkbox]") ||
            fresh.querySelector('[aria-invalid="true"]') ||
            (focused && fresh.querySelector('[name="' + focused + '"]'))
          );
          if (target && target.focus) target.focus();
          if (target && target.select) target.select();
        } else {
          delete form.dataset.busy;
        }
        announce(data.message || (data.ok ? "Saved." : "Not saved: see the row."));
      })
      .catch(function () {
        form.submit(); // the server answers a plain post too
      });
  });
})();
