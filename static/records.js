// The request page follows its files being read: while the section "Text of the files" has
// a status address (data-status-url, only while a file is queued or being read), the bar,
// the sentence and each file's state are replaced every few seconds by what the server
// renders for them, until every file is read. Without JavaScript the page says to reload.
(function () {
  "use strict";
  var DELAY = 2000;
  function ready() {
    var section = document.getElementById("records");
    if (!section || !section.dataset.statusUrl) { return; }
    var url = section.dataset.statusUrl;
    var summary = document.getElementById("records-summary");
    var failures = 0;
    function update(data) {
      summary.innerHTML = data.summary;
      Object.keys(data.files).forEach(function (id) {
        var place = document.querySelector('.record-state[data-attachment="' + id + '"]');
        if (place && place.innerHTML.trim() !== data.files[id].html) {
          place.innerHTML = data.files[id].html;
        }
      });
      return data.busy;
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          if (update(data)) { window.setTimeout(poll, DELAY); }
        })
        .catch(function () {
          // Logged out, offline or the server restarting: try less often, then stop (the
          // page still says to reload).
          failures += 1;
          if (failures < 10) { window.setTimeout(poll, DELAY * 5); }
        });
    }
    poll();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
