// The notifications page, enhanced: mark read in place (the header badge follows), and new
// notifications appear at the top of the list as they arrive. Without this script the forms
// post and come back (303), and a reload shows what is new.
(function () {
  "use strict";
  var list = document.getElementById("notification-list");
  var status = document.getElementById("notification-status");
  if (!list || !window.fetch) return;

  function setBadge(count) {
    var badge = document.getElementById("unread-badge");
    if (!badge) return;
    badge.querySelector("[data-unread]").textContent = String(count);
    badge.classList.toggle("badge-empty", count === 0);
  }

  function announce(text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function markItemRead(item) {
    item.classList.remove("unread");
    var tag = item.querySelector(".tag-unread");
    if (tag) tag.remove();
    var form = item.querySelector("form.mark-read");
    if (form) form.remove();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.markRead) return;
    event.preventDefault();
    var token = form.querySelector("input[name=_csrf_token]");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "x-csrftoken": token ? token.value : "" },
      body: new URLSearchParams(new FormData(form))
    })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (result) {
        setBadge(result.unread);
        var left = result.unread === 1 ? "1 unread notification left." : result.unread + " unread notifications left.";
        if (form.dataset.markRead === "all") {
          Array.prototype.forEach.call(list.querySelectorAll("li.notification"), markItemRead);
          announce("All notifications marked read.");
        } else {
          var item = form.closest("li");
          markItemRead(item);
          item.focus();
          announce("Marked read. " + left);
        }
      })
      .catch(function () { form.submit(); });
  });

  var busy = false;
  var again = false;

  function pull() {
    if (!list.dataset.live) return;
    if (busy) { again = true; return; }
    busy = true;
    fetch("/notifications/latest?after=" + encodeURIComponent(list.dataset.topSeq || "0"), {
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var items = Array.prototype.slice.call(holder.content.querySelectorAll("li.notification"));
        var top = parseInt(list.dataset.topSeq || "0", 10);
        for (var i = items.length - 1; i >= 0; i--) {
          top = Math.max(top, parseInt(items[i].dataset.seq, 10));
          if (!document.getElementById(items[i].id)) list.insertBefore(items[i], list.firstChild);
        }
        list.dataset.topSeq = String(top);
        var empty = document.getElementById("notifications-empty");
        if (items.length && empty) empty.remove();
        var markAll = document.getElementById("mark-all");
        if (items.length && markAll) markAll.hidden = false;
      })
      .catch(function () { /* a reload will show them */ })
      .then(function () {
        busy = false;
        if (again) { again = false; pull(); }
      });
  }

  if (window.commonsLive) window.commonsLive.onNotification(pull);
})();
