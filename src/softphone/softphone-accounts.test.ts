import test from 'ava';
import { DESK_PHONE, md5Credential, SOFTPHONE_REALM, SoftphoneAccounts } from './softphone-accounts.ts';

const agents = [
  { id: 'alice', endpoint: 'webrtc', extension: '1001' },
  { id: 'bob', endpoint: 'PJSIP/1002' },
];

test('given agents on the browser softphone and on desk phones, then only the browser ones get an account, plus the desk phone', (t) => {
  const accounts = new SoftphoneAccounts(agents);
  t.deepEqual(accounts.all().map((a) => a.name).sort(), ['webrtc-alice', DESK_PHONE].sort());
  t.like(accounts.forAgent('alice'), { purpose: 'agent', agentId: 'alice', callerNumber: '1001' });
  t.is(accounts.forAgent('bob'), undefined);
  t.is(accounts.desk().purpose, 'desk');
});

test('given two Asterisk starts, then the passwords differ and the config holds only their digests', (t) => {
  const first = new SoftphoneAccounts(agents), second = new SoftphoneAccounts(agents);
  t.not(first.forAgent('alice')!.password, second.forAgent('alice')!.password);
  const [spec] = first.endpointSpecs('deskline-inbound').filter((s) => s.name === 'webrtc-alice');
  t.like(spec, { webrtc: true, password: '', realm: SOFTPHONE_REALM, context: 'deskline-inbound' });
  t.is(spec!.digest, md5Credential('webrtc-alice', SOFTPHONE_REALM, first.forAgent('alice')!.password));
  t.false(JSON.stringify(first.endpointSpecs('x')).includes(first.forAgent('alice')!.password), 'no password in what is rendered');
  t.regex(spec!.codecs, /^opus,/, 'Opus first: a browser then gets wideband audio');
});

test('given RFC 2617 inputs, then md5Credential is the digest HA1', (t) => {
  // HA1 = MD5(username:realm:password), checked against a value computed independently (md5sum).
  t.is(md5Credential('Mufasa', 'testrealm@host.com', 'Circle Of Life'), '939e7578ed9e3c518a452acee763bce9');
});
