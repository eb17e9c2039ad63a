// 网址名: proposed from the title's pinyin while the editor types, and checked live against the server.
// Without JavaScript the server does the same when the form is saved with the field left blank.
(function () {
  "use strict";

  var DELAY_MS = 300;

  function statusLine(input) {
    var line = document.createElement("p");
    line.className = "field-hint slug-status";
    line.id = input.id + "-status";
    line.setAttribute("role", "status");
    var wrapper = input.closest(".field");
    if (wrapper) { wrapper.appendChild(line); } else { input.insertAdjacentElement("afterend", line); }
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    input.setAttribute("aria-describedby", described.concat(line.id).join(" "));
    return line;
  }

  function setup(input) {
    var title = document.getElementById(input.dataset.titleField);
    var line = statusLine(input);
    // Once the editor types a 网址名 of their own, the title no longer overwrites it.
    var typed = input.value.trim() !== "";
    var timer = null;
    var sequence = 0;

    function check() {
      var mine = ++sequence;
      var query = new URLSearchParams({ title: title ? title.value : "", slug: typed ? input.value : "" });
      fetch(input.dataset.slugCheck + "?" + query, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error(); } return response.json(); })
        .then(function (verdict) {
          if (mine !== sequence) { return; }
          if (!typed) { input.value = verdict.slug; }
          line.textContent = verdict.message;
          line.classList.toggle("field-error", !verdict.ok);
          if (verdict.ok) { input.removeAttribute("aria-invalid"); } else if (typed) { input.setAttribute("aria-invalid", "true"); }
        })
        .catch(function () { line.textContent = "暂时无法检查网址名，保存时会再检查。"; });
    }

    function schedule() { window.clearTimeout(timer); timer = window.setTimeout(check, DELAY_MS); }
    input.addEventListener("input", function () { typed = input.value.trim() !== ""; schedule(); });
    if (title) { title.addEventListener("input", function () { if (!typed) { schedule(); } }); }
    if (title && title.value.trim()) { check(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-slug-check]").forEach(setup);
  });
})();
