import { Hono } from 'hono';
import type { LinkInfo } from '../telephony/telephony.ts';
import type { RtpHealth } from '../speech/rtp-census.ts';

export interface HealthSource {
  link(): LinkInfo;
  activeCalls(): number;
  startedAt: number;
  siteId: string;
  speech?: () => string;
  /** The fleet link (MQTT), when the site has one. */
  fleet?: () => FleetHealth;
  /** What the External Media (and listen) RTP ports have received and dropped since the start. */
  rtp?: () => RtpHealth;
}

export interface FleetHealth {
  connected: boolean;
  /** Telemetry and events kept for the broker. */
  buffered: number;
  dropped: number;
  lastError?: string;
}

export interface Health {
  status: 'ok' | 'degraded';
  site: string;
  uptimeSeconds: number;
  ari: { connected: boolean; status: string; detail: string };
  asterisk: { version: string | null };
  calls: { active: number };
  speech: string;
  fleet?: FleetHealth;
  rtp?: RtpHealth;
}

export function healthOf(source: HealthSource, now: number): Health {
  const link = source.link();
  return {
    status: link.connected ? 'ok' : 'degraded',
    site: source.siteId,
    uptimeSeconds: Math.round((now - source.startedAt) / 1000),
    ari: { connected: link.connected, status: link.status, detail: link.detail },
    asterisk: { version: link.asteriskVersion ?? null },
    calls: { active: source.activeCalls() },
    speech: source.speech?.() ?? 'off',
    ...(source.fleet ? { fleet: source.fleet() } : {}),
    ...(source.rtp ? { rtp: source.rtp() } : {}),
  };
}

/** Public liveness/readiness: 200 when Asterisk is under control, 503 while degraded. */
export function healthRoutes(source: HealthSource, now: () => number): Hono {
  return new Hono().get('/healthz', (c) => {
    const health = healthOf(source, now());
    return c.json(health, health.status === 'ok' ? 200 : 503);
  });
}
