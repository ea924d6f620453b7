// The assessment timer in the portal: shows the seconds left. The server enforces the deadline;
// this only tells the trainee (and submits the answers given when time is up).
(function () {
  "use strict";
  function start() {
    var timer = document.querySelector(".timer[data-seconds-left]");
    if (!timer) { return; }
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10) || 0;
    var shown = timer.querySelector(".time-left");
    var form = document.getElementById("attempt-form");
    var deadline = Date.now() + left * 1000;
    function tick() {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(seconds / 60);
      shown.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
      if (seconds <= 0) {
        timer.classList.add("expired");
        timer.textContent = timer.getAttribute("data-expired-text");
        if (form && !form.dataset.sent) { form.dataset.sent = "1"; form.submit(); }
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
