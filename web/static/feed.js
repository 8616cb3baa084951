// A network's feed, live: new posts are announced in a "N new posts — show" bar (a polite live
// region), never inserted under the reader's eyes; "show" swaps in the newest page of the feed.
// Counts of posts already on the page (replies, offers, reactions, a request's status) update in place.
// A post a lead hides or removes leaves the list; one restored is announced like a new post.
// The "Working together" lines are redrawn from the server when an engagement is listed, closes or is
// unlisted (engagement.listed), and the change is announced politely.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.network || !window.commonsLive) return;
  var slug = main.dataset.network;
  var seq = parseInt(main.dataset.seq, 10);
  var region = document.getElementById("feed-news");
  var bar = region && region.querySelector(".feed-news-bar");
  var show = bar && bar.querySelector("[data-news-show]");
  var text = bar && bar.querySelector("[data-news-text]");
  var STATUS = { open: "Open", in_discussion: "In discussion", matched: "Matched", closed: "Closed" };
  var fresh = {}; // ids of posts announced but not yet shown

  function feed() { return document.getElementById("feed"); }

  function onPage(id) { return !!document.querySelector('#feed [data-post-id="' + id + '"]'); }

  // Would this post appear on the first page of the feed with the filters the reader chose?
  function matches(post) {
    var f = feed();
    if (!f) return false;
    var d = f.dataset;
    if (d.kind && post.kind !== d.kind) return false;
    if (d.status && post.status !== d.status) return false;
    if (d.evidence && post.evidence_strength !== d.evidence) return false;
    if (d.phase && (post.phases || []).indexOf(d.phase) < 0) return false;
    if (d.theme && (post.themes || []).indexOf(d.theme.split(/\s+/).join(" ")) < 0) return false;
    return post.state === "visible";
  }

  function announce() {
    if (!bar) return;
    var n = Object.keys(fresh).length;
    if (n === 0) { bar.hidden = true; text.textContent = ""; return; }
    text.textContent = n === 1 ? "1 new post" : n + " new posts";
    bar.hidden = false;
  }

  function setCount(item, name, value) {
    var el = item.querySelector('[data-count="' + name + '"]');
    if (!el || typeof value !== "number") return;
    el.textContent = value + " " + (value === 1 ? el.dataset.one : el.dataset.many);
  }

  function item(id) { return document.querySelector('#feed [data-post-id="' + id + '"]'); }

  function updatePost(post) {
    var el = item(post.id);
    if (!el) return;
    setCount(el, "reply_count", post.reply_count);
    setCount(el, "offer_count", post.offer_count);
    if (post.reactions) {
      setCount(el, "useful", post.reactions.useful);
      setCount(el, "tried_it", post.reactions.tried_it);
    }
    var status = el.querySelector("[data-status]");
    if (status && STATUS[post.status]) status.textContent = STATUS[post.status];
  }

  function removePost(id) {
    if (fresh[id]) { delete fresh[id]; announce(); }
    var el = item(id);
    if (!el) return;
    var hadFocus = el.contains(document.activeElement);
    el.remove();
    if (hadFocus) {
      var heading = document.getElementById("feed-heading");
      if (heading) heading.focus();
    }
  }

  function say(words) {
    var announcer = document.getElementById("working-announcer");
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = words; }, 100);
  }

  function redrawWorking(d) {
    var existing = document.getElementById("working-together");
    if (!existing || !d.engagement) return;
    fetch("/networks/" + encodeURIComponent(slug) + "/engagements/section",
          { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var holder = document.createElement("template"); // inert: nothing in it runs
        holder.innerHTML = html.trim();
        var fresh = holder.content.firstElementChild;
        if (!fresh || fresh.id !== "working-together") return;
        var current = document.getElementById("working-together");
        var hadFocus = current.contains(document.activeElement);
        current.replaceWith(fresh);
        if (hadFocus) { fresh.setAttribute("tabindex", "-1"); fresh.focus({ preventScroll: true }); }
        say(d.listed === false ? "An engagement in this network is no longer listed." : d.engagement.summary);
      })
      .catch(function () {});
  }

  window.commonsLive.onEvent(function (m) {
    if (m.network !== slug || !m.data) return;
    var d = m.data;
    if (m.kind === "engagement.listed") { redrawWorking(d); return; }
    if ((m.kind === "post.created" || m.kind === "post.restored") && d.post) {
      if (!onPage(d.post.id) && matches(d.post)) { fresh[d.post.id] = true; announce(); }
    } else if ((m.kind === "post.hidden" || m.kind === "post.removed") && d.post_id) {
      removePost(d.post_id);
    } else if (/^reply\.(hidden|removed)$/.test(m.kind) && item(d.post_id)) {
      setCount(item(d.post_id), "reply_count", d.reply_count);
    } else if (/^reply\.(restored|updated)$/.test(m.kind) && d.reply && item(d.reply.post_id)) {
      setCount(item(d.reply.post_id), "reply_count", d.reply_count);
    } else if (m.kind === "post.updated" && d.post) {
      updatePost(d.post);
    } else if (m.kind === "reply.created" && d.reply && item(d.reply.post_id)) {
      setCount(item(d.reply.post_id), "reply_count", d.reply_count);
    } else if (m.kind === "reaction.changed" && d.reactions && item(d.post_id)) {
      setCount(item(d.post_id), "useful", d.reactions.useful);
      setCount(item(d.post_id), "tried_it", d.reactions.tried_it);
    }
  });

  function shown() {
    fresh = {};
    announce();
  }

  window.commonsLive.showNewer(show, "#feed", "feed-heading", shown);

  window.commonsLive.follow(slug, isNaN(seq) ? undefined : seq);
})();
