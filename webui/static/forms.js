// Progressive enhancement of template forms: hide the questions that do not apply to the answers so far.
// The server evaluates the conditions (the same sandboxed expressions it validates with); without this
// script every question is shown and answers to those that do not apply are ignored.
(function () {
  "use strict";
  var form = document.querySelector("form.questionnaire[data-applicable-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var pending = null;

  function update() {
    fetch(form.getAttribute("data-applicable-url"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (applies) {
      if (!applies) { return; }
      Object.keys(applies).forEach(function (id) {
        var element = form.querySelector('[data-question="' + id + '"]');
        if (element) { element.hidden = !applies[id]; }
      });
    }).catch(function () { /* the form still works: the server ignores answers that do not apply */ });
  }

  function schedule() {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(update, 150);
  }

  form.addEventListener("change", schedule);
  document.documentElement.classList.add("js");
  update();
}());
