// An engagement's page, kept current from the live socket (live.js).
// The named people of both sides receive the engagement's events; on each, this script reads the page
// again and swaps in each part (data-part) that changed, so the markup comes from the same templates as
// the page. New messages and check-ins are added to their lists (aria-live regions) without redrawing
// the rest; a short sentence goes to a polite status region; focus is never taken.
// Nothing typed is lost: a part with a form someone has typed in is redrawn with their text put back,
// except the plan's form (data-keep="typed"), which stays as it is and says the plan has changed, so that
// saving it shows the current plan beside their text instead of writing over it; and a part showing a
// refused form (its errors, what was typed) stays as it is until it is sent again.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.engagement) return;
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus(); // after a refused form: the summary links to each field at fault
  if (!window.commonsLive) return;

  var engagementId = Number(main.dataset.engagement);
  var viewerId = Number(main.dataset.viewer);
  var announcer = document.getElementById("engagement-announcer");
  var pending = null;
  var again = false;

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  // The fields of `root` someone has changed: id -> value (or checked) as it stands.
  function typedIn(root) {
    var typed = {};
    root.querySelectorAll("input, textarea, select").forEach(function (field) {
      if (!field.id || field.type === "hidden" || field.type === "submit") return;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) typed[field.id] = { checked: field.checked };
      } else if (field.tagName === "SELECT") {
        var chosen = field.options[field.selectedIndex];
        if (chosen && !chosen.defaultSelected && field.selectedIndex !== 0) typed[field.id] = { value: field.value };
      } else if (field.value !== field.defaultValue) {
        typed[field.id] = { value: field.value };
      }
    });
    return typed;
  }

  function putBack(root, typed) {
    Object.keys(typed).forEach(function (id) {
      var field = root.querySelector("#" + CSS.escape(id));
      if (!field) return;
      if ("checked" in typed[id]) field.checked = typed[id].checked;
      else field.value = typed[id].value;
    });
  }

  function replaceKeepingFocus(old, fresh) {
    var active = document.activeElement;
    var inside = old.contains(active);
    var activeId = inside && active ? active.id : "";
    old.replaceWith(fresh);
    if (!inside) return;
    var same = activeId ? fresh.querySelector("#" + CSS.escape(activeId)) : null;
    if (same) same.focus({ preventScroll: true });
  }

  // A list part: add the items it lacks where the fresh list has them, redraw those that changed.
  function mergeList(old, fresh) {
    var previous = null;
    Array.prototype.forEach.call(fresh.children, function (item) {
      var existing = document.getElementById(item.id);
      var copy = document.importNode(item, true);
      if (!existing) {
        if (previous) previous.after(copy);
        else old.prepend(copy);
        previous = copy;
        return;
      }
      if (!existing.isEqualNode(item)) replaceKeepingFocus(existing, copy);
      previous = document.getElementById(item.id);
    });
  }

  function swapPart(old, fresh) {
    if (old.isEqualNode(fresh)) return;
    if (old.hasAttribute("data-list")) { mergeList(old, fresh); return; }
    var typed = typedIn(old);
    var ids = Object.keys(typed);
    var notice = old.querySelector("[data-changed-notice]");
    if (old.querySelector(".field-error, #plan-stale")) { // a refused form, its text as typed: left as it is
      if (notice) notice.hidden = false;
      return;
    }
    if (ids.length) {
      if (old.dataset.keep === "typed") { if (notice) notice.hidden = false; return; }
      var lost = ids.some(function (id) { return !fresh.querySelector("#" + CSS.escape(id)); });
      if (lost) { document.getElementById("engagement-gone").hidden = false; return; }
    }
    var copy = document.importNode(fresh, true);
    putBack(copy, typed);
    old.querySelectorAll("details[id]").forEach(function (box) { // what the reader opened stays open
      var same = copy.querySelector("#" + CSS.escape(box.id));
      if (same && box.open) same.open = true;
    });
    replaceKeepingFocus(old, copy);
  }

  function refresh() {
    if (pending) { again = true; return; }
    var here = "/engagements/" + engagementId; // not a form's address, where a refused form left the page
    pending = fetch(location.pathname === here ? here + location.search : here, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.status === 404) {
          var gone = document.getElementById("engagement-gone");
          gone.querySelector("[data-gone-text]").textContent = "You are no longer named in this engagement.";
          gone.hidden = false;
          return;
        }
        if (!response.ok) return;
        return response.text().then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html"); // inert: nothing in it runs
          document.querySelectorAll("[data-part]").forEach(function (old) {
            var part = fresh.getElementById(old.id);
            if (part) swapPart(old, part);
          });
          var freshMain = fresh.getElementById("main");
          if (freshMain) {
            main.dataset.version = freshMain.dataset.version;
            main.dataset.state = freshMain.dataset.state;
            main.dataset.agreed = freshMain.dataset.agreed;
          }
        });
      })
      .catch(function () {})
      .then(function () {
        pending = null;
        if (again) { again = false; refresh(); }
      });
  }

  var SIDES = { requester: "requesting", offerer: "offering" };
  var STATES = { proposed: "being agreed", active: "active: both sides agreed the plan", closed: "closed" };

  function said(kind, data, actorId) {
    var own = actorId === viewerId;
    if (kind === "engagement.message" && data.message && !own) return data.message.author.display_name + " wrote in the thread.";
    if (kind === "engagement.check_in" && data.check_in && !own) return data.check_in.author.display_name + " recorded a check-in.";
    if (kind === "engagement.outcome" && data.outcome && !own) {
      var side = SIDES[data.outcome.side] + " organisation";
      return data.outcome.practice_id ? "The " + side + "'s outcome is shared as a practice." : data.outcome.author.display_name + " wrote the " + side + "'s outcome.";
    }
    if (kind === "engagement.follow_up" && data.follow_up && !own) return data.follow_up.author.display_name + " answered the follow-up.";
    var e = data.engagement;
    if (!e) return "";
    if (e.state !== main.dataset.state) return "The engagement is now " + (STATES[e.state] || e.state) + ".";
    if (String(e.version) !== main.dataset.version && !own) return "The plan has changed: it is now version " + e.version + ".";
    var before = main.dataset.agreed.split(" ");
    var sides = ["requester", "offerer"].filter(function (side, n) { return String(e.agreed[side] || 0) !== before[n]; });
    if (sides.length && !own) return main.dataset[sides[0]] + " agreed version " + e.agreed[sides[0]] + " of the plan.";
    return "";
  }

  window.commonsLive.onEvent(function (message) {
    if (message.kind.indexOf("engagement.") !== 0 || message.kind === "engagement.listed") return;
    var data = message.data || {};
    var id = data.engagement ? data.engagement.id : data.engagement_id;
    if (id !== engagementId) return;
    announce(said(message.kind, data, data.actor_id));
    refresh();
  });
  window.commonsLive.follow(main.dataset.network, Number(main.dataset.seq));
})();
