import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { configSchema } from './schema.ts';
import { SettingsError, SettingsOverrides } from './settings-overrides.ts';

const site = configSchema.parse({ site: { name: 'Shanghai 1', timezone: 'Asia/Shanghai' } });

test('given a change, when saved, then the effective settings have it, the answer says what applies now and what at restart, and a restart keeps it', async (t) => {
  const store = new MemoryStore();
  const settings = new SettingsOverrides(store, () => 7);
  t.is((await settings.load(site)).config.site.name, 'Shanghai 1');
  const change = await settings.change({ 'calls.idleTimeoutSeconds': 20, 'acd.serviceLevelSeconds': 30, 'site.name': 'Shanghai 1' }, 1, 'tech1');
  t.deepEqual([change.now, change.restart], [['calls.idleTimeoutSeconds'], ['acd.serviceLevelSeconds']]);
  t.like(change.stored, { revision: 2, updatedBy: 'tech1', updatedAt: 7 });
  t.is(change.config.calls.idleTimeoutSeconds, 20);

  const restarted = new SettingsOverrides(store, () => 8);
  const loaded = await restarted.load(site);
  t.is(loaded.config.acd.serviceLevelSeconds, 30);
  t.is(loaded.dropped, undefined);
  // null: back to the site file's value.
  const back = await restarted.change({ 'calls.idleTimeoutSeconds': null }, 2, 'tech1');
  t.is(back.config.calls.idleTimeoutSeconds, site.calls.idleTimeoutSeconds);
});

test('given provisioning-only names, bad values or a stale revision, when changed, then each is named and nothing changes', async (t) => {
  const settings = new SettingsOverrides(new MemoryStore(), () => 1);
  await settings.load(site);
  const names = await t.throwsAsync(settings.change({ 'asterisk.ariUrl': 'http://evil', 'http.port': 80, 'site.name': 'ok' }, 1, 'x'), { instanceOf: SettingsError });
  t.deepEqual(names?.issues.map((i) => i.path[0]), ['asterisk.ariUrl', 'http.port']);
  const values = await t.throwsAsync(settings.change({ 'calls.idleTimeoutSeconds': 0, 'log.level': 'loud' }, 1, 'x'), { instanceOf: SettingsError });
  t.deepEqual(values?.issues.map((i) => i.path[0]).sort(), ['calls.idleTimeoutSeconds', 'log.level']);
  t.is((await t.throwsAsync(settings.change({ 'site.name': 'x' }, 9, 'x'), { instanceOf: SettingsError }))?.code, 'SETTINGS_CONFLICT');
  t.like(settings.current(), { stored: { revision: 1, values: {} }, config: { site: { name: 'Shanghai 1' } } });
});

test('given overrides, when the site file\'s editable settings change, then the site file wins and the dropped overrides are answered', async (t) => {
  const store = new MemoryStore();
  const first = new SettingsOverrides(store, () => 1);
  await first.load(site);
  await first.change({ 'site.name': 'Renamed' }, 1, 'admin');
  const reprovisioned = configSchema.parse({ site: { name: 'Shanghai 2', timezone: 'Asia/Shanghai' } });
  const loaded = await new SettingsOverrides(store, () => 2).load(reprovisioned);
  t.is(loaded.config.site.name, 'Shanghai 2');
  t.deepEqual(loaded.dropped?.values, { 'site.name': 'Renamed' });
});
