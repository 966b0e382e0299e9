'use strict';
// Inert stand-in for the npm package ref-napi (see package.json). Nothing in Deskline calls it;
// anything that does gets a clear error instead of a crash in native code.
function unavailable() {
  const error = new Error('ref-napi is stubbed in Deskline: use src/speech/vosk.ts, which loads libvosk.so through the Deskline addon');
  error.code = 'DESKLINE_STUBBED_MODULE';
  throw error;
}
module.exports = new Proxy({}, { get: (_target, key) => (key === '__esModule' ? false : unavailable) });
