// A network's review queue, live: when the lead's notification stream (live.js) brings a
// "queue.added" for this network, a polite status bar says "1 new item in the queue — show";
// nothing moves under the lead's eyes until they ask. "show" swaps in the list's fragment
// (/networks/{slug}/queue/entries, rendered by the same template as the page) with htmx.
// Without JavaScript, the link simply reloads the queue.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.queue) return;
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus(); // after a refused form: the summary links to the field at fault
  if (!window.commonsLive) return;

  var slug = main.dataset.queue;
  var region = document.getElementById("queue-news");
  var bar = region && region.querySelector(".feed-news-bar");
  var text = bar && bar.querySelector("[data-news-text]");
  var show = bar && bar.querySelector("[data-news-show]");
  var fresh = {}; // ids of entries announced but not yet shown

  function announce() {
    if (!bar) return;
    var n = Object.keys(fresh).length;
    if (n === 0) { bar.hidden = true; text.textContent = ""; return; }
    text.textContent = n === 1 ? "1 new item in the queue" : n + " new items in the queue";
    bar.hidden = false;
  }

  window.commonsLive.onNotification(function (m) {
    var d = m.data || {};
    if (m.kind !== "queue.added" || d.network !== slug) return;
    if (document.getElementById("entry-" + d.entry_id)) return; // already on the page
    fresh[d.entry_id] = true;
    announce();
  });

  function shown() {
    fresh = {};
    announce();
  }

  window.commonsLive.showNewer(show, "#queue-entries", "queue-heading", shown);
})();
