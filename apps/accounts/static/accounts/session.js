/*
 * Warns a signed-in person before their session ends (an enhancement: without this script the
 * session still ends after SESSION_COOKIE_AGE seconds without activity, and the next page says
 * so). Loaded by web/base.html for signed-in people only; it reads its settings from the
 * #session-warning dialog's data attributes (no inline script, for the Content-Security-Policy).
 *
 * Two minutes before the end it opens the dialog with a countdown:
 * - "Stay signed in" (or Escape) GETs the keep-alive URL, which refreshes the session (204);
 * - "Sign out" is an ordinary form;
 * - at the end, the page goes to the sign-in page, which says why.
 * Activity in other tabs counts too: each page records the time it was loaded in localStorage.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function" || typeof window.fetch !== "function") {
    return;
  }
  var lifetime = Number(dialog.getAttribute("data-session-seconds")) * 1000;
  var warnBefore = Number(dialog.getAttribute("data-warn-seconds")) * 1000;
  var keepaliveUrl = dialog.getAttribute("data-keepalive-url");
  var expiredUrl = dialog.getAttribute("data-expired-url");
  var countdown = dialog.querySelector("[data-session-countdown]");
  var stay = dialog.querySelector("[data-session-stay]");
  var KEY = "exchange.session.lastActivity";
  var lastActivity = 0;
  var timer = null;
  if (!(lifetime > 0) || !keepaliveUrl || !expiredUrl || !countdown || !stay) {
    return;
  }

  function shared() {
    try {
      return Number(window.localStorage.getItem(KEY)) || 0;
    } catch (e) {
      return 0;
    }
  }

  function touch() {
    lastActivity = Date.now();
    try {
      window.localStorage.setItem(KEY, String(lastActivity));
    } catch (e) {
      /* private browsing: this tab alone */
    }
  }

  function remaining() {
    return Math.max(lastActivity, shared()) + lifetime - Date.now();
  }

  function minutesAndSeconds(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function signedOut() {
    window.clearInterval(timer);
    window.location.assign(expiredUrl);
  }

  function tick() {
    var left = remaining();
    if (left <= 0) {
      signedOut();
    } else if (left <= warnBefore) {
      countdown.textContent = minutesAndSeconds(left);
      if (!dialog.open) {
        dialog.showModal();
        stay.focus();
      }
    } else if (dialog.open) {
      dialog.close(); /* activity in another tab */
    }
  }

  function keepAlive() {
    stay.disabled = true;
    window
      .fetch(keepaliveUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
      .then(function (response) {
        if (response.status === 204) {
          touch();
          dialog.close();
        } else {
          signedOut();
        }
      })
      .catch(function () {
        /* offline: the warning stays, the person can try again */
      })
      .then(function () {
        stay.disabled = false;
      });
  }

  stay.addEventListener("click", keepAlive);
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    keepAlive();
  });
  touch();
  timer = window.setInterval(tick, 1000);
})();
