/* Press page: an external video player is loaded only when the visitor asks for it.
   Until the click the page shows a local poster and a button, and makes no request to the
   player's site; without JavaScript the link below the poster opens the video there. */
(function () {
  "use strict";
  document.querySelectorAll("[data-vt-embed]").forEach(function (box) {
    var url = box.getAttribute("data-vt-embed") || "";
    var button = box.querySelector(".vt-video__play");
    if (!button || url.indexOf("https://") !== 0) return; // the build accepts https:// players only
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = url;
      frame.title = box.getAttribute("data-vt-title") || "";
      frame.allow = "autoplay; fullscreen; picture-in-picture";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.className = "vt-video__frame";
      box.replaceChildren(frame);
      frame.focus();
    });
  });
})();
