// Alarms about Deskline's link to Asterisk, raised the moment the link changes (the fleet's
// 30-second condition poll misses an Asterisk restart that takes a few seconds): the ARI event
// socket lost, the link back, and, on reconnect, whether Asterisk itself restarted (then every
// call it held is gone and was closed as dropped by the restart). Publishers (the live events
// hub, the fleet link) take the same alarm objects.

/** What the telephony adapter reports about its link (AriTelephony implements it). */
export interface LinkSource {
  onConnected(handler: (info: { reconnect: boolean; asteriskRestarted: boolean }) => void): void;
  onDisconnected(handler: (reason: string) => void): void;
}

export type LinkAlarm =
  | { name: 'ari-disconnected'; state: 'raised'; reason: string; at: number }
  | { name: 'ari-disconnected'; state: 'cleared'; downSeconds: number; at: number }
  /** downSeconds: null when the restart happened while Deskline itself was not running. */
  | { name: 'asterisk-restarted'; downSeconds: number | null; at: number };

export function watchLink(source: LinkSource, now: () => number, raise: (alarm: LinkAlarm) => void): void {
  let lostAt: number | undefined;
  const safely = (alarm: LinkAlarm) => {
    try {
      raise(alarm);
    } catch {
      // A broken publisher must not break the telephony adapter's event loop.
    }
  };
  source.onDisconnected((reason) => {
    if (lostAt !== undefined) return;
    lostAt = now();
    safely({ name: 'ari-disconnected', state: 'raised', reason, at: lostAt });
  });
  source.onConnected(({ asteriskRestarted }) => {
    const at = now();
    const downSeconds = lostAt === undefined ? null : Math.round(at - lostAt) / 1000;
    if (downSeconds !== null) safely({ name: 'ari-disconnected', state: 'cleared', downSeconds, at });
    if (asteriskRestarted) safely({ name: 'asterisk-restarted', downSeconds, at });
    lostAt = undefined;
  });
}
