// The live socket for pages: one websocket per tab, resumed with cursors after drops.
// Pages opt in with data attributes; without JavaScript everything still works by reloading.
(function () {
  "use strict";
  if (!document.body || !document.body.dataset.signedIn || !("WebSocket" in window)) return;

  var cursors = {}; // "network:slug" or "notifications" -> last seq applied
  var epoch = null;
  var handlers = { event: [], notification: [] };
  var socket = null;
  var backoff = 500;

  // A lead's count of open queue entries (the network's "Queue" tab, the queue's heading), on any page.
  function setQueueCount(slug, open) {
    document.querySelectorAll('[data-queue-count="' + slug + '"]').forEach(function (el) {
      el.textContent = String(open);
      var pill = el.closest(".pill");
      if (pill) pill.classList.toggle("pill-warn", open > 0);
    });
  }
  handlers.event.push(function (m) {
    if (m.kind === "queue.changed" && m.data && typeof m.data.open_count === "number") setQueueCount(m.network, m.data.open_count);
  });

  window.commonsLive = {
    setQueueCount: setQueueCount,
    onEvent: function (fn) { handlers.event.push(fn); },
    onNotification: function (fn) { handlers.notification.push(fn); },
    follow: function (slug, after) {
      cursors["network:" + slug] = after === undefined ? null : after;
      send(subscription("network:" + slug));
    },
    // The "N new — show" link of a live list: with htmx it swaps in the list's fragment (its
    // data-fragment) in place and moves focus to the list's heading; without, it is a plain link.
    showNewer: function (link, target, headingId, done) {
      if (!link) return;
      link.addEventListener("click", function (e) {
        if (!window.htmx) return;
        e.preventDefault();
        window.htmx.ajax("GET", link.dataset.fragment, { target: target, swap: "outerHTML" }).then(function () {
          done();
          var heading = document.getElementById(headingId);
          if (heading) heading.focus();
        }, function () {
          location.assign(link.href);
        });
      });
    }
  };

  function subscription(key) {
    var message = { type: "subscribe", after: cursors[key] };
    if (key === "notifications") message.stream = "notifications";
    else message.network = key.slice("network:".length);
    if (epoch && cursors[key] !== null) message.epoch = epoch;
    return message;
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function setUnread(count) {
    var badge = document.getElementById("unread-badge");
    if (!badge) return;
    badge.querySelector("[data-unread]").textContent = String(count);
    badge.classList.toggle("badge-empty", count === 0);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws");
    socket.addEventListener("open", function () {
      backoff = 500;
      if (!("notifications" in cursors)) cursors.notifications = null;
      Object.keys(cursors).forEach(function (key) { send(subscription(key)); });
    });
    socket.addEventListener("message", function (e) {
      var m = JSON.parse(e.data);
      var key = m.network ? "network:" + m.network : "notifications";
      if (m.type === "ping") { send({ type: "pong" }); return; }
      if (m.type === "subscribed") {
        epoch = m.epoch;
        if (cursors[key] === null || cursors[key] === undefined) cursors[key] = m.seq;
        return;
      }
      if (m.type === "resync") { cursors[key] = null; return; }
      if (m.type === "caught_up") { // a replay is done: resume from here (the last events may not be ours)
        if (cursors[key] !== null && cursors[key] !== undefined && m.seq > cursors[key]) cursors[key] = m.seq;
        return;
      }
      if (m.type === "event" || m.type === "notification") {
        if (cursors[key] !== null && m.seq <= cursors[key]) return; // already applied
        cursors[key] = m.seq;
        if (m.type === "notification") {
          var badge = document.querySelector("#unread-badge [data-unread]");
          if (badge && !m.data.read) setUnread(parseInt(badge.textContent, 10) + 1);
        }
        handlers[m.type].forEach(function (fn) { fn(m); });
      }
    });
    socket.addEventListener("close", function (e) {
      if (e.code === 4001 || e.code === 1008) return; // signed out or refused: a reload will tell
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    });
  }

  connect();
})();
