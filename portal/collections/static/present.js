// Training mode: ← / → step between screens, Esc leaves to the collection page.
// Every screen is its own URL with real links, so this only follows those links. They are found by
// a data attribute, which sanitized Markdown (trainer notes, case bodies) can never carry.
(function () {
  "use strict";

  var KEY_TO_LINK = {
    ArrowRight: "next",
    PageDown: "next",
    ArrowLeft: "prev",
    PageUp: "prev",
    Escape: "exit"
  };

  function isTyping(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function onKeyDown(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) {
      return;
    }
    var role = KEY_TO_LINK[event.key];
    var link = role && document.querySelector('a[data-present-key="' + role + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  }

  document.addEventListener("keydown", onKeyDown);
})();
