// The compose and edit forms. The form works without this script; htmx (attributes on the form)
// refreshes the preview as one types. Here: after a refused submission, focus the error summary
// so its links to each field at fault are read first.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
