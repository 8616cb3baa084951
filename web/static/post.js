// The practice / request page, kept current from the live socket (live.js).
// New replies are appended to the reply list (an aria-live region); reaction counts, offers and
// the request's status change in place; short messages go to a polite status region. Nothing is
// inserted above what the reader is looking at and focus is never taken, so nothing moves.
// Offers and replies come from the server as HTML fragments, rendered by the same templates as
// the page, so this script builds no markup of its own.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.post) return;
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus(); // after a refused form: the summary links to each field at fault
  if (!window.commonsLive) return;

  var postId = Number(main.dataset.post);
  var revision = Number(main.dataset.revision);
  var announcer = document.getElementById("post-announcer");
  var replyList = document.getElementById("reply-list");
  var offerList = document.getElementById("offer-list");
  var statusText = document.getElementById("request-status");
  var words = { open: "open", in_discussion: "in discussion", matched: "matched", closed: "closed",
                accepted: "accepted", declined: "declined", withdrawn: "withdrawn" };

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function fragment(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var holder = document.createElement("template"); // inert: nothing in it runs
        holder.innerHTML = html.trim();
        return holder.content.firstElementChild;
      })
      .catch(function () { return null; });
  }

  function setAll(selector, value) {
    document.querySelectorAll(selector).forEach(function (el) { el.textContent = String(value); });
  }

  function replaceKeepingFocus(old, fresh) {
    var active = document.activeElement;
    var inside = old.contains(active);
    var form = inside && active.closest ? active.closest("form") : null;
    var action = form ? form.getAttribute("action") : null;
    old.replaceWith(fresh);
    if (!inside) return;
    var same = action ? fresh.querySelector('form[action="' + action + '"] button') : null;
    (same || fresh).focus({ preventScroll: true });
  }

  function onReply(data) {
    var reply = data.reply;
    if (!reply || reply.post_id !== postId) return;
    if (typeof data.reply_count === "number") setAll("[data-reply-count]", data.reply_count);
    if (!replyList || replyList.dataset.complete !== "1" || document.getElementById("reply-" + reply.id)) return;
    fragment("/posts/" + postId + "/replies/" + reply.id + "/item").then(function (item) {
      if (!item || document.getElementById(item.id)) return;
      replyList.appendChild(item);
      var empty = document.getElementById("no-replies");
      if (empty) empty.hidden = true;
    });
  }

  function onReactions(data) {
    if (data.post_id !== postId || !data.reactions) return;
    setAll('[data-reaction-count="useful"]', data.reactions.useful);
    setAll('[data-reaction-count="tried_it"]', data.reactions.tried_it);
  }

  function onOffer(kind, data) {
    var offer = data.offer;
    if (!offer || offer.post_id !== postId || !offerList) return;
    fragment("/posts/" + postId + "/offers/" + offer.id + "/item").then(function (item) {
      if (!item) return;
      var existing = document.getElementById(item.id);
      if (existing) replaceKeepingFocus(existing, item);
      else offerList.appendChild(item);
      var empty = document.getElementById("no-offers");
      if (empty) empty.hidden = true;
      var org = offer.organisation ? offer.organisation.name : "another organisation";
      if (kind === "offer.made") announce("New offer of help from " + org + ".");
      else announce("The offer from " + org + " is now " + (words[offer.status] || offer.status) + ".");
    });
  }

  function onPost(data) {
    var post = data.post;
    if (!post || post.id !== postId) return;
    setAll("[data-reply-count]", post.reply_count);
    if (post.reactions) onReactions({ post_id: postId, reactions: post.reactions });
    if (statusText && post.status && statusText.parentNode.dataset.status !== post.status) {
      statusText.parentNode.dataset.status = post.status;
      statusText.textContent = words[post.status] || post.status;
      announce("This request is now " + (words[post.status] || post.status) + ".");
      if (post.status === "closed") reveal("post-closed");
    }
    if (post.revision > revision) reveal("post-edited");
  }

  function reveal(id) {
    var notice = document.getElementById(id);
    if (notice && notice.hidden) notice.hidden = false;
  }

  window.commonsLive.onEvent(function (message) {
    var data = message.data || {};
    if (message.kind === "reply.created") onReply(data);
    else if (message.kind === "reaction.changed") onReactions(data);
    else if (message.kind.indexOf("offer.") === 0) onOffer(message.kind, data);
    else if (message.kind === "post.updated") onPost(data);
  });
  window.commonsLive.follow(main.dataset.network, Number(main.dataset.seq));
})();
