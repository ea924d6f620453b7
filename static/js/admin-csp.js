"use strict";
// Inline event handlers do not run under the Content-Security-Policy (script-src 'self').
// django-import-export's export page wires its "Select all" checkbox with onchange="…": the
// same function is called from here instead.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("input.select-toggle") && typeof window.onSelectToggleChange === "function") {
    window.onSelectToggleChange(event);
  }
});
