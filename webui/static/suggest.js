// As-you-type title suggestions for the search boxes: fills the shared <datalist> with matching titles.
// The browser shows and navigates the list natively (keyboard and screen readers included); without this
// script the search works the same, only without suggestions.
(function () {
  "use strict";
  var list = document.getElementById("title-suggestions");
  if (!list || !window.fetch) { return; }
  var timer = null;

  function fill(input) {
    var typed = input.value.trim();
    if (typed.length < 2) { list.replaceChildren(); return; }
    fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (titles) {
        list.replaceChildren.apply(list, titles.map(function (item) {
          var option = document.createElement("option");
          option.value = item.title;
          return option;
        }));
      })
      .catch(function () { list.replaceChildren(); });
  }

  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    input.addEventListener("input", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(function () { fill(input); }, 120);
    });
  });
}());
