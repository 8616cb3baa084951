// A network's review queue, live: the leads' own events on the network's stream (live.js) say when
// an entry opens, is claimed, gets a note or is decided by another lead. A polite status bar says
// "1 new item, 1 changed — show"; nothing moves under the lead's eyes until they ask. "show" swaps
// in the list's fragment (/networks/{slug}/queue/entries, rendered by the same template as the page)
// with htmx. The queue's count in the network's menu follows the open count at once.
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
  var seq = parseInt(main.dataset.seq, 10);
  var fresh = {}; // ids of entries announced but not yet shown
  var changed = {}; // ids of entries on the page that another lead claimed, noted or decided

  function announce() {
    if (!bar) return;
    var n = Object.keys(fresh).length, c = Object.keys(changed).length;
    if (n === 0 && c === 0) { bar.hidden = true; text.textContent = ""; return; }
    var parts = [];
    if (n) parts.push(n === 1 ? "1 new item in the queue" : n + " new items in the queue");
    if (c) parts.push(c === 1 ? "1 item changed" : c + " items changed");
    text.textContent = parts.join(", ");
    bar.hidden = false;
  }

  function onPage(id) { return !!document.getElementById("entry-" + id); }

  function count(open) {
    var pill = document.querySelector('a[href="/networks/' + slug + '/queue"] .pill');
    if (!pill || typeof open !== "number") return;
    pill.firstChild.nodeValue = String(open);
    pill.classList.toggle("pill-warn", open > 0);
  }

  window.commonsLive.onEvent(function (m) {
    if (m.network !== slug || !m.data) return;
    var d = m.data;
    if (m.kind === "queue.changed" && d.entry) {
      count(d.open_count);
      if (onPage(d.entry.id)) changed[d.entry.id] = true;
      else if (d.entry.status === "open") fresh[d.entry.id] = true;
      else delete fresh[d.entry.id];
      announce();
    } else if (m.kind === "queue.noted" && onPage(d.entry_id)) {
      changed[d.entry_id] = true;
      announce();
    }
  });

  function shown() {
    fresh = {};
    changed = {};
    announce();
  }

  window.commonsLive.showNewer(show, "#queue-entries", "queue-heading", shown);
  window.commonsLive.follow(slug, isNaN(seq) ? undefined : seq);
})();
