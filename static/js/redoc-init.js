"use strict";
// Starts Redoc on /api/v1/redoc/ (was an inline script in drf-spectacular's template; the
// Content-Security-Policy allows scripts from this site's files only).
(function () {
  var container = document.getElementById("redoc-container");
  var settings = container.dataset.settings ? JSON.parse(container.dataset.settings) : {};
  window.Redoc.init(container.dataset.schemaUrl, settings, container);
})();
