// Live preview of a letter draft: the preview follows the form as it is typed.
(function () {
  "use strict";
  function ready() {
    var form = document.getElementById("letter-form");
    if (!form) { return; }
    var body = form.querySelector("[name=body]");
    var subject = form.querySelector("[name=subject]");
    var name = form.querySelector("[name=recipient_name]");
    var address = form.querySelector("[name=recipient_email]");
    function update() {
      document.getElementById("preview-body").textContent = body.value;
      document.getElementById("preview-subject").textContent = subject.value;
      var to = name.value;
      if (address.value) { to += " <" + address.value + ">"; }
      document.getElementById("preview-recipient").textContent = to;
    }
    form.addEventListener("input", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
