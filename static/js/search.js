/* Type-ahead for model search: the header's search box and the pair picker's fields.
 *
 * Progressive enhancement: without this file the header search is a plain GET form
 * (/search/?q=) and the picker plain <select>s. With it, each becomes an ARIA 1.2
 * combobox (role=combobox, a listbox popup, aria-activedescendant; Up/Down move, Enter
 * picks, Escape closes) fed by /search/suggest/?q=, which ranks and forgives typos the
 * same way as the search page. No framework, no inline code (the CSP allows none).
 */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DELAY_MS = 150;
  var counter = 0;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  /* A combobox on `input`, asking `suggestUrl`; `choose(result)` acts on a pick. */
  function Combobox(input, suggestUrl, choose) {
    var id = "suggest-" + ++counter;
    var listbox = element("ul", { id: id, role: "listbox", class: "suggestions", hidden: "" });
    var status = element("div", { role: "status", class: "visually-hidden" });
    var results = [];
    var active = -1;
    var timer = null;
    var sequence = 0;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");
    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);

    function setActive(index) {
      var options = listbox.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function show(query, found) {
      results = found;
      listbox.textContent = "";
      listbox.setAttribute("data-query", query); // which query these answer
      found.forEach(function (result, index) {
        var option = element("li", {
          id: id + "-" + index,
          role: "option",
          "aria-selected": "false",
          "data-index": String(index),
        });
        option.appendChild(element("span", { class: "suggestion-name" }, result.name));
        option.appendChild(document.createTextNode(" "));
        option.appendChild(element("small", {}, result.maker));
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (found.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      status.textContent = found.length
        ? found.length + (found.length === 1 ? " suggestion" : " suggestions")
        : "No model matches " + query;
    }

    function ask() {
      var query = input.value.trim();
      var mine = ++sequence;
      if (query.length < MIN_CHARS) {
        close();
        return;
      }
      fetch(suggestUrl + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          if (mine === sequence) show(query, body.results || []);
        })
        .catch(function () {
          if (mine === sequence) close(); // the form still works without suggestions
        });
    }

    function pick(index) {
      var result = results[index];
      if (!result) return;
      close();
      choose(result);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      var count = listbox.children.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && count) {
          listbox.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (count) setActive((active + 1) % count);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open && count) setActive(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          pick(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150); // let a click on an option land first
    });
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep focus in the input
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) pick(Number(option.getAttribute("data-index")));
    });
  }

  function enhanceHeader(form) {
    var input = form.querySelector("input[name=q]");
    if (!input) return;
    new Combobox(input, form.getAttribute("data-suggest"), function (result) {
      input.value = result.name;
      window.location.assign(result.url);
    });
  }

  /* A type-ahead field before each picker <select>; a pick selects its option. */
  function enhanceSelect(select, suggestUrl) {
    var input = element("input", {
      type: "text",
      class: "picker-search",
      "aria-label": "Search for the " + select.getAttribute("data-searchable").toLowerCase(),
      placeholder: "Type a name, id or maker",
      spellcheck: "false",
    });
    var wrapper = element("div", { class: "combobox" });
    wrapper.appendChild(input);
    select.insertAdjacentElement("beforebegin", wrapper);
    new Combobox(input, suggestUrl, function (result) {
      var option = Array.prototype.find.call(select.options, function (candidate) {
        return candidate.value === result.slug;
      });
      if (!option) return;
      select.value = result.slug;
      input.value = result.name;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function start() {
    var header = document.querySelector("form.site-search[data-suggest]");
    if (!header || !window.fetch) return;
    enhanceHeader(header);
    var suggestUrl = header.getAttribute("data-suggest");
    document.querySelectorAll("select[data-searchable]").forEach(function (select) {
      enhanceSelect(select, suggestUrl);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
