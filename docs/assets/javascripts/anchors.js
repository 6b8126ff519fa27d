// FAQ: a "Copy link" button beside each question, so an answer can be shared in one click.
// Without JavaScript the heading's permalink (#) is still there and visible.
(function () {
  function addCopyButtons() {
    document.querySelectorAll(".faq h2[id]").forEach(function (heading) {
      if (heading.querySelector(".copy-link")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-link";
      button.textContent = "Copy link";
      button.setAttribute("aria-label", "Copy link to this question: " + heading.textContent.replace(/#$/, "").trim());
      button.addEventListener("click", function () {
        var url = location.href.split("#")[0] + "#" + heading.id;
        var done = function () { button.textContent = "Link copied"; setTimeout(function () { button.textContent = "Copy link"; }, 2000); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(done, function () { location.hash = heading.id; });
        } else {
          location.hash = heading.id;  // no clipboard over plain http: at least put it in the address bar
        }
      });
      heading.appendChild(button);
    });
  }
  if (typeof document$ !== "undefined") document$.subscribe(addCopyButtons);  // Material instant navigation
  else document.addEventListener("DOMContentLoaded", addCopyButtons);
})();
