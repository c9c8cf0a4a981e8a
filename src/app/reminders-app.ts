/**
 * The digest wired into the running app: one {@link DigestScheduler} per page, fed by the
 * Today feed, showing notifications through the service worker's registration where there
 * is one (required on Android) or `new Notification` otherwise; and the plan for the
 * service worker's Periodic Background Sync (the items due now, written as the list
 * changes), registered where the browser has it.
 */
import {
  DigestScheduler,
  idbDigestStore,
  type DigestItem,
  type DigestStore,
} from './reminders-digest.ts';
import { todayFeed, type TodayFeed } from './reminders.ts';
import type { AppServices } from './services.ts';

/** The tag of the periodic sync the service worker answers (public/reminders-sw.js). */
export const PERIODIC_TAG = 'vitrine-digest';

/** The digest of a running app. */
export interface Reminders {
  readonly store: DigestStore;
  readonly scheduler: DigestScheduler;
  /** Register (or drop) the background check, where the browser has Periodic Background Sync. */
  background(on: boolean): Promise<'registered' | 'unavailable' | 'off'>;
  destroy(): void;
}

let current: Reminders | undefined;

/** The page's reminders, once {@link startReminders} ran. */
export function reminders(): Reminders | undefined {
  return current;
}

function notificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

async function notify(title: string, body: string, tag: string): Promise<void> {
  const reg = await navigator.serviceWorker?.getRegistration?.().catch(() => undefined);
  if (reg?.active) {
    await reg.showNotification(title, { body, tag, icon: '/icon-192.png' });
    return;
  }
  const n = new Notification(title, { body, tag, icon: '/icon-192.png' });
  n.onclick = () => window.focus();
}

function plan(feed: TodayFeed): DigestItem[] | undefined {
  return feed.result?.items.map((i) => ({ key: i.key, text: i.text }));
}

type PeriodicSync = {
  register(tag: string, opts: { minInterval: number }): Promise<void>;
  unregister(tag: string): Promise<void>;
};

/** Start the digest for this app (idempotent). */
export function startReminders(services: AppServices, store = idbDigestStore()): Reminders {
  if (current) return current;
  const feed = todayFeed(services);
  const scheduler = new DigestScheduler({
    store,
    items: () => plan(feed),
    notify,
    allowed: notificationsAllowed,
  });
  let first = true;
  let writing: ReturnType<typeof setTimeout> | undefined;
  const onChange = () => {
    // The first result may bring a digest missed while the app was closed.
    if (first) {
      first = false;
      void scheduler.check().catch((err: unknown) => console.warn('Digest:', err));
    }
    // The service worker's copy of what is due, a little after the list settles.
    clearTimeout(writing);
    writing = setTimeout(() => {
      const items = plan(feed);
      if (items) void store.set('digest-plan', items).catch(() => undefined);
    }, 2000);
  };
  feed.addEventListener('change', onChange);
  if (feed.result) onChange();
  void scheduler.check().catch((err: unknown) => console.warn('Digest:', err));
  current = {
    store,
    scheduler,
    async background(on) {
      const reg = await navigator.serviceWorker?.getRegistration?.().catch(() => undefined);
      const sync = (
        reg as (ServiceWorkerRegistration & { periodicSync?: PeriodicSync }) | undefined
      )?.periodicSync;
      if (!sync) return 'unavailable';
      try {
        if (!on) {
          await sync.unregister(PERIODIC_TAG);
          return 'off';
        }
        await sync.register(PERIODIC_TAG, { minInterval: 12 * 3_600_000 });
        return 'registered';
      } catch {
        // Chromium allows it only for an installed app with enough engagement.
        return 'unavailable';
      }
    },
    destroy() {
      feed.removeEventListener('change', onChange);
      clearTimeout(writing);
      scheduler.destroy();
      current = undefined;
    },
  };
  return current;
}
