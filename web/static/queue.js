// A network's review queue, in place. The one-click Approve and Dismiss buttons send their form in the
// background (answered in JSON): the entry leaves the list where it is and the status region says what
// was done; a refusal is shown beside the buttons. The leads' own events on the network's stream
// (live.js) keep the page current: an entry another lead claims or notes is redrawn where it is (its
// badges, notes and claim, from /networks/{slug}/queue/{id}/item, rendered by the same template; never
// a form), one decided by another lead leaves the list, and new entries are announced in a polite status
// bar, "1 new item in the queue — show", which swaps in the list's fragment. live.js keeps the counts.
// Without JavaScript every form posts and the page reloads.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.queue) return;
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus(); // after a refused form: the summary links to the field at fault

  var slug = main.dataset.queue;
  var status = document.getElementById("queue-status");
  var pending = {}; // ids of entries this page is deciding in the background

  function say(text) {
    if (!status || !text) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function entry(id) { return document.getElementById("entry-" + id); }

  // The entry leaves the list; focus, if it was inside, goes to the next entry's title (or the heading).
  function leave(article, message) {
    var item = article.closest("li") || article;
    var next = item.nextElementSibling || item.previousElementSibling;
    var hadFocus = item.contains(document.activeElement);
    item.remove();
    var list = document.querySelector("#queue-entries .queue-list");
    var empty = document.getElementById("queue-empty");
    if (empty && (!list || list.children.length === 0)) empty.hidden = false;
    if (hadFocus) {
      var target = (next && next.querySelector("h3")) || document.getElementById("queue-heading");
      if (target) target.focus();
    }
    say(message);
  }

  // GET an entry's HTML, or POST a form for JSON: resolves to {ok, body} (body parsed as asked), or rejects
  // when the answer is not of that kind (a sign-in page, a network failure).
  function ask(url, form) {
    var accept = form ? "application/json" : "text/html";
    var init = { credentials: "same-origin", headers: { Accept: accept } };
    if (form) {
      var token = form.querySelector("input[name=_csrf_token]");
      init.method = "POST";
      init.headers["x-csrftoken"] = token ? token.value : "";
      init.body = new URLSearchParams(new FormData(form));
    }
    return fetch(url, init).then(function (response) {
      if ((response.headers.get("content-type") || "").indexOf(accept) !== 0) throw new Error(String(response.status));
      return (form ? response.json() : response.text()).then(function (body) { return { ok: response.ok, body: body }; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-quick")) return;
    var article = form.closest("article.queue-entry");
    if (!article || !window.fetch) return;
    event.preventDefault();
    var id = article.dataset.entryId;
    var error = article.querySelector("[data-quick-error]");
    pending[id] = true;
    ask(form.getAttribute("action"), form) // not form.action: its field named "action" hides it
      .then(function (result) {
        delete pending[id];
        if (result.ok) {
          if (window.commonsLive) window.commonsLive.setQueueCount(slug, result.body.open_count);
          leave(article, result.body.done);
        } else if (error) {
          error.textContent = result.body.message;
          error.hidden = false;
        }
      })
      .catch(function () { delete pending[id]; form.submit(); });
  });

  if (!window.commonsLive) return;

  var region = document.getElementById("queue-news");
  var bar = region && region.querySelector(".feed-news-bar");
  var text = bar && bar.querySelector("[data-news-text]");
  var show = bar && bar.querySelector("[data-news-show]");
  var seq = parseInt(main.dataset.seq, 10);
  var fresh = {}; // ids of entries announced but not yet shown

  function announce() {
    if (!bar) return;
    var n = Object.keys(fresh).length;
    if (n === 0) { bar.hidden = true; text.textContent = ""; return; }
    text.textContent = n === 1 ? "1 new item in the queue" : n + " new items in the queue";
    bar.hidden = false;
  }

  function fragment(url) {
    return ask(url).then(function (result) {
      var holder = document.createElement("template"); // inert: nothing in it runs
      holder.innerHTML = result.ok ? result.body : "";
      return holder.content.querySelector("article.queue-entry");
    }, function () { return undefined; }); // not answered: leave the entry as it is
  }

  // Another lead claimed, released or noted it: its badges, notes and claim are redrawn where they are.
  function redraw(id) {
    fragment("/networks/" + slug + "/queue/" + id + "/item").then(function (fresher) {
      var old = entry(id);
      if (!old || pending[id] || fresher === undefined) return;
      if (!fresher) { decidedElsewhere(old); return; }
      fresher.querySelectorAll("[data-live]").forEach(function (part) {
        var mine = old.querySelector('[data-live="' + part.dataset.live + '"]');
        if (!mine) return;
        var had = mine.contains(document.activeElement);
        var form = had ? document.activeElement.closest("form") : null;
        mine.replaceWith(part);
        if (!had) return;
        var again = form && form.id ? document.getElementById(form.id) : null;
        (again ? again.querySelector("button") : old.querySelector("h3")).focus();
      });
    });
  }

  function decidedElsewhere(article) {
    var title = article.querySelector("h3");
    leave(article, "Another lead has decided “" + (title ? title.textContent : "an item") + "”: see Recently decided.");
  }

  window.commonsLive.onEvent(function (m) {
    if (m.network !== slug || !m.data) return;
    var d = m.data;
    if (m.kind === "queue.changed" && d.entry) {
      var id = d.entry.id, el = entry(id);
      if (d.entry.status !== "open") {
        delete fresh[id];
        if (el && !pending[id]) decidedElsewhere(el);
      } else if (el) {
        redraw(id);
      } else {
        fresh[id] = true;
      }
      announce();
    } else if (m.kind === "queue.noted" && entry(d.entry_id)) {
      redraw(d.entry_id);
    }
  });

  window.commonsLive.showNewer(show, "#queue-entries", "queue-heading", function () {
    fresh = {};
    announce();
  });
  window.commonsLive.follow(slug, isNaN(seq) ? undefined : seq);
})();
