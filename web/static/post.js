// The practice / request page, kept current from the live socket (live.js).
// New replies are appended to the reply list (an aria-live region); reaction counts, offers and
// the request's status change in place; short messages go to a polite status region. Nothing is
// inserted above what the reader is looking at and focus is never taken, so nothing moves.
// Offers and replies come from the server as HTML fragments, rendered by the same templates as
// the page, so this script builds no markup of its own. A lead's decision is applied too: a reply
// hidden or removed leaves the list (or is redrawn, for a reader who may still see it), a restored
// or edited one is put back or redrawn, and a post hidden or removed says so at the top. A reply its
// author edited or deleted is redrawn in place, and an author whose post or reply awaited review is
// told when a lead approves it. The "Tried elsewhere" summary is redrawn when an adoption event arrives,
// and a request's "Working together" lines when an engagement of this request is listed, closes or is unlisted.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.post) return;
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus(); // after a refused form: the summary links to each field at fault
  if (!window.commonsLive) return;

  var postId = Number(main.dataset.post);
  var revision = Number(main.dataset.revision);
  var mine = main.dataset.mine === "1";
  var viewerId = Number(main.dataset.viewer);
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

  function replyUrl(id) { return "/posts/" + postId + "/replies/" + id + "/item"; }

  function showEmpty() {
    var empty = document.getElementById("no-replies");
    if (empty && replyList) empty.hidden = replyList.children.length > 0;
  }

  // A reply in its place by id (the list reads oldest first), after the replies before it.
  function insertReply(item) {
    var id = Number(item.dataset.reply);
    var later = Array.prototype.find.call(replyList.children, function (li) { return Number(li.dataset.reply) > id; });
    if (later) replyList.insertBefore(item, later);
    else replyList.appendChild(item);
    showEmpty();
  }

  function onReply(data) {
    var reply = data.reply;
    if (!reply || reply.post_id !== postId) return;
    if (typeof data.reply_count === "number") setAll("[data-reply-count]", data.reply_count);
    var held = document.getElementById("reply-" + reply.id);
    if (held && held.classList.contains("reply-held")) { // a lead approved it: redraw it as shown
      fragment(replyUrl(reply.id)).then(function (item) {
        if (item) replaceKeepingFocus(held, item);
        announce(reply.author.id === viewerId ? "A lead has approved your reply." : "A held reply has been approved.");
      });
      return;
    }
    if (!replyList || replyList.dataset.complete !== "1" || held) return;
    fragment(replyUrl(reply.id)).then(function (item) {
      if (!item || document.getElementById(item.id)) return;
      insertReply(item);
    });
  }

  // reply.restored / reply.updated: redraw it where it is, or put it back like a new one.
  function onReplyBack(kind, data) {
    var reply = data.reply;
    if (!reply || reply.post_id !== postId) return;
    var existing = document.getElementById("reply-" + reply.id);
    if (!existing) { onReply(data); return; }
    if (typeof data.reply_count === "number") setAll("[data-reply-count]", data.reply_count);
    fragment(replyUrl(reply.id)).then(function (item) {
      if (item) replaceKeepingFocus(existing, item);
      if (kind !== "reply.updated") return;
      if (reply.deleted) announce("A reply has been deleted by its author.");
      else if (data.actor_id === reply.author.id) announce(reply.author.display_name + " has edited their reply.");
      else announce("A lead has edited a reply.");
    });
  }

  // reply.hidden / reply.removed: gone for most readers; a lead (or the author of a hidden reply)
  // still may see it, so the fragment decides: it comes back redrawn, or not at all.
  function onReplyGone(kind, data) {
    if (data.post_id !== postId) return;
    if (typeof data.reply_count === "number") setAll("[data-reply-count]", data.reply_count);
    var existing = document.getElementById("reply-" + data.reply_id);
    if (!existing) return;
    fragment(replyUrl(data.reply_id)).then(function (item) {
      if (item) { replaceKeepingFocus(existing, item); return; }
      var hadFocus = existing.contains(document.activeElement);
      existing.remove();
      showEmpty();
      if (hadFocus) focusHeading("replies-h");
      announce("A reply has been " + (kind === "reply.hidden" ? "hidden" : "removed") + " by a lead.");
    });
  }

  function focusHeading(id) {
    var heading = document.getElementById(id);
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }

  // post.hidden / post.removed: the page says so (the author is asked to reload for the reason).
  function onPostGone(kind, data) {
    if (data.post_id !== postId) return;
    var gone = document.getElementById("post-gone");
    if (!gone) return;
    var how = kind === "post.hidden" ? "hidden" : "removed";
    var words = mine ? "A lead has " + how + " your post." : "This post has been " + how + " by a lead.";
    gone.querySelector("[data-gone-text]").textContent = words;
    gone.hidden = false;
    announce(words);
  }

  // post.created for this page's post: a lead approved it (its author was told it awaits review).
  function onApproved(data) {
    if (!data.post || data.post.id !== postId) return;
    var held = document.getElementById("post-held");
    if (!held || held.hidden) return;
    held.hidden = true;
    var status = document.getElementById("post-status");
    var words = "A lead has approved your " + data.post.kind + ": members can read it now.";
    if (status) status.textContent = words;
    else announce(words);
  }

  function onPostBack(data) {
    if (!data.post || data.post.id !== postId) return;
    var gone = document.getElementById("post-gone");
    if (gone) gone.hidden = true;
    announce("This post is shown to members again.");
    onPost(data);
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

  // adoption.recorded / .updated / .reported / .hidden: the "Tried elsewhere" summary is redrawn from the
  // server (the same template as the page), and a report is announced.
  function onAdoption(kind, data) {
    if (data.post_id !== postId) return;
    var existing = document.getElementById("adoption-summary");
    if (!existing) return;
    fragment("/posts/" + postId + "/adoptions/summary").then(function (fresh) {
      if (fresh) replaceKeepingFocus(existing, fresh);
      var org = data.adoption && data.adoption.organisation ? data.adoption.organisation.name : "An organisation";
      if (kind === "adoption.reported") announce(org + " reported how this practice went for them.");
      else if (kind === "adoption.recorded") announce(org + " is trying this practice.");
    });
  }

  // engagement.listed for this request: its "Working together" lines are redrawn from the server (a line
  // added, its sentence changed, or gone when both sides keep it unlisted), and the change announced.
  function onEngagementListed(data) {
    var engagement = data.engagement;
    if (!engagement || engagement.request_id !== postId) return;
    var existing = document.getElementById("engagements");
    if (!existing) return;
    fragment("/posts/" + postId + "/engagements/section").then(function (fresh) {
      if (!fresh) return;
      replaceKeepingFocus(existing, fresh);
      announce(data.listed === false ? "An engagement on this request is no longer listed." : engagement.summary);
    });
  }

  function reveal(id) {
    var notice = document.getElementById(id);
    if (notice && notice.hidden) notice.hidden = false;
  }

  window.commonsLive.onEvent(function (message) {
    var data = message.data || {};
    if (message.kind === "reply.created") onReply(data);
    else if (message.kind === "post.created") onApproved(data);
    else if (message.kind === "reply.restored" || message.kind === "reply.updated") onReplyBack(message.kind, data);
    else if (message.kind === "reply.hidden" || message.kind === "reply.removed") onReplyGone(message.kind, data);
    else if (message.kind === "post.hidden" || message.kind === "post.removed") onPostGone(message.kind, data);
    else if (message.kind === "post.restored") onPostBack(data);
    else if (message.kind === "reaction.changed") onReactions(data);
    else if (message.kind.indexOf("offer.") === 0) onOffer(message.kind, data);
    else if (message.kind === "post.updated") onPost(data);
    else if (/^adoption\.(recorded|updated|reported|hidden)$/.test(message.kind)) onAdoption(message.kind, data);
    else if (message.kind === "engagement.listed") onEngagementListed(data);
  });
  window.commonsLive.follow(main.dataset.network, Number(main.dataset.seq));
})();
