// Training mode. The projector (/present/<n>) and the presenter view (/present/<n>/presenter) are
// ordinary pages with real links; this script adds keyboard steps, keeps the two windows on the
// same slide through a BroadcastChannel, shrinks an overfull slide to fit the screen, and runs the
// presenter's clock.
(function () {
  "use strict";

  var body = document.body;
  var current = Number(body.dataset.screen);
  var last = Number(body.dataset.last);
  var suffix = body.dataset.view === "presenter" ? "/presenter" : "";
  var channel = "BroadcastChannel" in window ? new BroadcastChannel(body.dataset.channel) : null;
  var KEY_STEPS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };

  function urlFor(screen) {
    return body.dataset.base + screen + suffix;
  }

  function go(screen, tellOthers) {
    if (!(screen >= 0 && screen <= last) || screen === current) {
      return;
    }
    if (tellOthers && channel) {
      channel.postMessage({ screen: screen });
    }
    window.location.assign(urlFor(screen));
  }

  function isTyping(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function onKeyDown(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      window.location.assign(document.querySelector('a[data-present-key="exit"]').href);
    } else if (KEY_STEPS[event.key]) {
      event.preventDefault();
      go(current + KEY_STEPS[event.key], true);
    }
  }

  // Clicking prev/next or an agenda entry steps the other window too.
  function onClick(event) {
    var link = event.target.closest && event.target.closest("a");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var step = { "present-next": 1, "present-prev": -1 }[link.id];
    var target = step ? current + step : (link.dataset.screen ? Number(link.dataset.screen) : null);
    if (target !== null) {
      event.preventDefault();
      go(target, true);
    }
  }

  // Keep in step with present.css: on such a screen slides are sized by its width and scroll.
  var PHONE_PORTRAIT = "(max-width: 700px) and (orientation: portrait)";

  // Shrink the slide's type until it fits between the bars; the scrollbar stays as a last resort.
  function fitSlide() {
    var screen = document.getElementById("screen");
    if (!screen) {
      return;
    }
    var root = document.documentElement;
    var scale = 1;
    root.style.setProperty("--fit", "1");
    if (window.matchMedia && window.matchMedia(PHONE_PORTRAIT).matches) {
      return;  // a phone held upright scrolls the slide at a readable size instead
    }
    while (screen.scrollHeight > screen.clientHeight + 1 && scale > 0.5) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      root.style.setProperty("--fit", String(scale));
    }
  }

  function startClock() {
    var clock = document.getElementById("presenter-clock");
    if (!clock) {
      return;
    }
    var key = "presenter-start:" + body.dataset.channel;
    var reset = document.getElementById("presenter-clock-reset");
    if (!sessionStorage.getItem(key)) {
      sessionStorage.setItem(key, String(Date.now()));
    }
    function tick() {
      var seconds = Math.max(0, Math.floor((Date.now() - Number(sessionStorage.getItem(key))) / 1000));
      var minutes = Math.floor(seconds / 60);
      clock.textContent = String(minutes).padStart(2, "0") + ":" + String(seconds % 60).padStart(2, "0");
      clock.setAttribute("datetime", "PT" + seconds + "S");
    }
    reset.hidden = false;
    reset.addEventListener("click", function () {
      sessionStorage.setItem(key, String(Date.now()));
      tick();
    });
    tick();
    window.setInterval(tick, 1000);
  }

  if (channel) {
    channel.onmessage = function (event) {
      if (event.data && typeof event.data.screen === "number") {
        go(event.data.screen, false);
      }
    };
  }
  document.addEventListener("keydown", onKeyDown);
  document.addEventListener("click", onClick);
  window.addEventListener("resize", fitSlide);
  fitSlide();
  startClock();
})();
