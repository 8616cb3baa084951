// A network's transparency log, live: new entries are announced in a "N new entries — show" bar (a polite
// live region), never inserted under the reader's eyes; "show" swaps in the newest entries.
// With "only entries about me" on, only entries about the reader are counted.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.network || !window.commonsLive) return;
  var slug = main.dataset.network;
  var seq = parseInt(main.dataset.seq, 10);
  var about = main.dataset.about ? parseInt(main.dataset.about, 10) : null;
  var region = document.getElementById("log-news");
  var bar = region && region.querySelector(".log-news-bar");
  var show = bar && bar.querySelector("[data-news-show]");
  var text = bar && bar.querySelector("[data-news-text]");
  var fresh = {}; // ids of entries announced but not yet shown

  function announce() {
    if (!bar) return;
    var n = Object.keys(fresh).length;
    if (n === 0) { bar.hidden = true; text.textContent = ""; return; }
    text.textContent = n === 1 ? "1 new entry" : n + " new entries";
    bar.hidden = false;
  }

  window.commonsLive.onEvent(function (m) {
    if (m.network !== slug || m.kind !== "decision.logged" || !m.data || !m.data.entry) return;
    var entry = m.data.entry;
    if (about !== null && (!entry.subject || entry.subject.id !== about)) return;
    if (document.getElementById("entry-" + entry.id)) return;
    fresh[entry.id] = true;
    announce();
  });

  function shown() {
    fresh = {};
    announce();
  }

  window.commonsLive.showNewer(show, "#log-entries", "log-heading", shown);

  window.commonsLive.follow(slug, isNaN(seq) ? undefined : seq);
})();
