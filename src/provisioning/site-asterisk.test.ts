import test from 'ava';
import { checkSite } from '../config/load.ts';
import { sha512Crypt } from '../asterisk/sha512-crypt.ts';
import { maskSecrets } from './file-plan.ts';
import { renderSiteAsterisk, stableAriHash, type SiteSecrets } from './site-asterisk.ts';

const secrets = (): SiteSecrets => ({
  ariPassword: 'ari-secret-0123456789',
  trunkPasswords: new Map([['carrier', 'p;w']]),
  extensionPasswords: new Map([['1001', 'x1']]),
  softphonePasswords: new Map([['webrtc-desk', 'd1'], ['webrtc-carol', 'c1']]),
});

const site = (extra: Record<string, unknown> = {}) => checkSite({
  site: { network: { publicAddress: '203.0.113.9', localNets: ['192.168.0.0/16'] } },
  trunks: [
    { id: 'carrier', host: 'sip.example.cn', username: 'u1', passwordFile: '/s/t', dids: ['4000'] },
    { id: 'private', host: '10.1.1.1', register: false, transport: 'tcp', codecs: ['alaw'], dids: ['4001'] },
  ],
  extensions: [{ id: '1001', name: 'Zhang "Wei"' }],
  agents: [{ id: 'carol', endpoint: 'webrtc' }, { id: 'z', endpoint: 'PJSIP/1001' }],
  queues: [{ id: 'q' }],
  ivr: { routes: [{ number: '*', flow: 'main' }] },
  ...extra,
}, {}).config!;

test('given the same ARI password, when hashed twice, then the hash is the same and is a valid crypt of it', (t) => {
  const hash = stableAriHash('ari-secret-0123456789');
  t.is(stableAriHash('ari-secret-0123456789'), hash);
  const salt = hash.split('$')[3]!;
  t.is(sha512Crypt('ari-secret-0123456789', salt, 1000), hash);
  t.not(stableAriHash('other'), hash);
});

test('given trunks, phones and softphones, when rendered, then pjsip.conf has each, NAT on the transports, and no plain phone password', async (t) => {
  const files = await renderSiteAsterisk(site(), secrets());
  const pjsip = files.get('pjsip.conf')!;
  t.regex(pjsip, /\[carrier-registration\]\ntype = registration\ntransport = transport-udp\noutbound_auth = carrier-auth/);
  t.notRegex(pjsip, /\[private-registration\]/, 'a trunk that does not register gets no registration');
  t.regex(pjsip, /\[private\]\ntype = identify\nendpoint = private\nmatch = 10\.1\.1\.1/);
  t.regex(pjsip, /\[transport-tcp\]/);
  t.is(pjsip.match(/external_media_address = 203\.0\.113\.9/g)?.length, 2);
  t.regex(pjsip, /local_net = 192\.168\.0\.0\/16/);
  t.regex(pjsip, /^password = p\\;w$/m);
  t.regex(pjsip, /callerid = "Zhang Wei" <1001>/);
  t.regex(pjsip, /\[webrtc-carol\]\ntype = endpoint/);
  t.false(/x1|c1\b|d1\b/.test(pjsip.replace(/md5_cred = \w+/g, '')), 'phones carry md5 credentials only');
  t.regex(files.get('indications.conf')!, /country = us/);
  t.regex(files.get('http.conf')!, /bindaddr = 127\.0\.0\.1\nbindport = 8088/);
  t.deepEqual([...files.keys()].sort(), ['ari.conf', 'extensions.conf', 'http.conf', 'indications.conf', 'musiconhold.conf', 'pjsip.conf', 'rtp.conf']);
});

test('given a zh-CN site, when rendered, then Chinese call progress tones are used', async (t) => {
  const files = await renderSiteAsterisk(site({ site: { locale: 'zh-CN' } }), secrets());
  t.regex(files.get('indications.conf')!, /country = cn/);
});

test('maskSecrets hides password and md5_cred values only', (t) => {
  t.is(maskSecrets('username = u\npassword = p;w\nmd5_cred = abc\n'), 'username = u\npassword = (secret)\nmd5_cred = (secret)\n');
});
