/*
 * Vitrine's daily digest from the background: loaded into the Workbox service worker with
 * `importScripts` (vite.config.ts, workbox.importScripts). Plain script, no imports: it
 * reads the small `vitrine-reminders` database the page keeps (src/app/reminders-digest.ts),
 * never the notebook. See docs/decisions/0016-reminders-without-a-server.md.
 *
 * On `periodicsync` (tag `vitrine-digest`, where the browser has Periodic Background Sync):
 * if the digest is on and its time has come today, notify the items the page last saw due
 * that were not yet notified today, and remember them (the page does the same, so nothing
 * is notified twice in a day). A click on the notification opens or focuses the app.
 */
/* global indexedDB */
'use strict';

(function () {
  var DB = 'vitrine-reminders';

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore('kv');
      };
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function call(db, mode, fn) {
    return new Promise(function (resolve, reject) {
      var req = fn(db.transaction('kv', mode).objectStore('kv'));
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  function localDay(d) {
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  function timeReached(now, time) {
    var m = /^(\d{2}):(\d{2})$/.exec(time || '');
    var at = new Date(now.getTime());
    at.setHours(m ? Number(m[1]) : 8, m ? Number(m[2]) : 30, 0, 0);
    return now.getTime() >= at.getTime();
  }

  function digest() {
    return open().then(function (db) {
      return Promise.all([
        call(db, 'readonly', function (s) {
          return s.get('digest-settings');
        }),
        call(db, 'readonly', function (s) {
          return s.get('digest-record');
        }),
        call(db, 'readonly', function (s) {
          return s.get('digest-plan');
        }),
      ]).then(function (got) {
        var settings = got[0];
        var record = got[1];
        var plan = got[2] || [];
        var now = new Date();
        if (!settings || !settings.enabled || !timeReached(now, settings.time)) return;
        var day = localDay(now);
        var done = record && record.day === day ? record.keys : [];
        var fresh = plan.filter(function (i) {
          return done.indexOf(i.key) < 0;
        });
        if (!fresh.length) return;
        var keys = done.concat(
          fresh.map(function (i) {
            return i.key;
          }),
        );
        return call(db, 'readwrite', function (s) {
          return s.put({ day: day, keys: keys }, 'digest-record');
        }).then(function () {
          var n = fresh.length;
          var lines = fresh.slice(0, 3).map(function (i) {
            return '• ' + i.text;
          });
          if (n > 3) lines.push('and ' + (n - 3) + ' more in Today.');
          return self.registration.showNotification(
            'Vitrine: ' + n + (n === 1 ? ' thing needs' : ' things need') + ' you today',
            { body: lines.join('\n'), tag: 'vitrine-digest-' + day, icon: '/icon-192.png' },
          );
        });
      });
    });
  }

  self.addEventListener('periodicsync', function (event) {
    if (event.tag !== 'vitrine-digest') return;
    var run = function () {
      return digest();
    };
    // The same lock the page takes, so a tab and the worker never notify twice.
    event.waitUntil(
      self.navigator && self.navigator.locks
        ? self.navigator.locks.request('vitrine-digest', run)
        : run(),
    );
  });

  self.addEventListener('notificationclick', function (event) {
    event.notification.close();
    event.waitUntil(
      self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
        for (var i = 0; i < list.length; i++) if ('focus' in list[i]) return list[i].focus();
        return self.clients.openWindow('/');
      }),
    );
  });
})();
