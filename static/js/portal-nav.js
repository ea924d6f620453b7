// The portal's menus are <details> elements, usable without this script; it only makes them
// behave like menus: one open at a time, closed by Escape or by a click elsewhere.
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details.nav-menu"));
  function closeAll(except) {
    menus.forEach(function (menu) { if (menu !== except) { menu.removeAttribute("open"); } });
  }
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () { if (menu.open) { closeAll(menu); } });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("details.nav-menu")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = menus.filter(function (menu) { return menu.open; });
      closeAll(null);
      if (open.length) { open[0].querySelector("summary").focus(); }
    }
  });
})();
