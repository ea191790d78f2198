/* Video cards in posts (see app/video_links.py). Without JavaScript a card is a link that opens the video on its
   host. With it, a click on a YouTube card swaps in the privacy-enhanced youtube-nocookie.com player, the only
   frame the Content-Security-Policy allows; nothing is loaded from YouTube before that click. Vimeo cards stay
   links. Loaded as a file: the CSP allows no inline scripts. */
(function () {
  "use strict";
  var YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

  function player(id, label) {
    var frame = document.createElement("iframe");
    frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1";
    frame.title = label;
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-presentation allow-popups");
    var box = document.createElement("div");
    box.className = "video-frame";
    box.appendChild(frame);
    return box;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: let the browser open the host's page
    }
    var card = event.target.closest ? event.target.closest("a.video-card") : null;
    if (!card || card.getAttribute("data-video-host") !== "youtube") {
      return;
    }
    var id = card.getAttribute("data-video-id") || "";
    if (!YOUTUBE_ID.test(id)) {
      return;
    }
    event.preventDefault();
    var box = player(id, "Video: " + card.textContent.trim());
    card.parentNode.replaceChild(box, card);
    box.querySelector("iframe").focus();
  });
})();
