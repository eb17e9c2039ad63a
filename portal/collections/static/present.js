// Training mode: ← / → step between screens, Esc leaves to the collection page.
// Every screen is its own URL with real links, so this only follows those links.
(function () {
  "use strict";

  var KEY_TO_LINK = {
    ArrowRight: "present-next",
    PageDown: "present-next",
    ArrowLeft: "present-prev",
    PageUp: "present-prev",
    Escape: "present-exit"
  };

  function isTyping(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function onKeyDown(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) {
      return;
    }
    var id = KEY_TO_LINK[event.key];
    var link = id && document.getElementById(id);
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  }

  document.addEventListener("keydown", onKeyDown);
})();
