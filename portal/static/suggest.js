// Suggest as you type: turns each search box into a WAI-ARIA 1.2 combobox with a listbox popup.
// Without JavaScript the box stays a plain search form; nothing here is needed to search.
(function () {
  "use strict";

  var DELAY_MS = 120;
  var counter = 0;

  function enhance(input) {
    var form = input.form;
    var id = "suggest-" + (++counter);
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    var request = null;
    var lastQuery = null;

    list.id = id + "-list";
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.id = id + "-status";

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var wrapper = document.createElement("div");
    wrapper.className = "suggest";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      if (active >= 0 && options[active]) {
        options[active].element.setAttribute("aria-selected", "false");
      }
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var option = options[index].element;
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({block: "nearest"});
    }

    function choose(index) {
      var suggestion = options[index].data;
      close();
      if (suggestion.kind === "case") {
        window.location.href = suggestion.url;
        return;
      }
      input.value = suggestion.text;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }

    function show(suggestions) {
      list.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      suggestions.forEach(function (suggestion, index) {
        var item = document.createElement("li");
        item.id = id + "-option-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.textContent = suggestion.text;
        var kind = document.createElement("span");
        kind.className = "suggest-kind";
        kind.textContent = suggestion.label;
        item.appendChild(text);
        item.appendChild(kind);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(index); });
        list.appendChild(item);
        options.push({element: item, data: suggestion});
      });
      var open = options.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? "有 " + options.length + " 条建议，用上下方向键选择" : "";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (request) { request.abort(); }
      if (!query) { show([]); return; }
      request = new AbortController();
      fetch("/api/v1/suggest?q=" + encodeURIComponent(query), {signal: request.signal})
        .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
        .then(function (body) { if (input.value.trim() === query) { show(body.suggestions || []); } })
        .catch(function () { /* a newer request replaced this one, or the network failed: keep typing */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) {
          if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
          else { lastQuery = null; fetchSuggestions(); }
          event.preventDefault();
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= options.length) { next = 0; }
        if (next < -1) { next = options.length - 1; }
        setActive(next);
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          close();
          event.preventDefault();
        } else if (input.value) {
          input.value = "";
          lastQuery = null;
          event.preventDefault();
        }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll('form[role="search"] input[type="search"]').forEach(enhance);
})();
