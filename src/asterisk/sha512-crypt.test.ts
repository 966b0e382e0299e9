import test from 'ava';
import { cryptSalt, sha512Crypt } from './sha512-crypt.ts';
import { ariPasswordHash } from './password-hash.ts';

// Expected values come from glibc's crypt(3) (the first two are also the published test vectors).
const vectors: [string, string, number, string][] = [
  ['Hello world!', 'saltstring', 5000, '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
  ['Hello world!', 'saltstringsaltstring', 10000, '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'],
  ['passwd-中文', 'abc', 1000, '$6$rounds=1000$abc$iZ7EUHYST5QlSy9UFbv5hpG3VY6ijRtb/cDxTtFbJ7CAiqeu/RTHIa3xdc4kf9DTbdenrK8DlmETsBRs97bQ4.'],
  ['', 'x', 1000, '$6$rounds=1000$x$JUgHESfT/mKR2X.Qz/PrkEgBINN.wbH/GsJhhFRcgrb0a4MjVYFixxXtKicccBbv9PSG/n1kVdpVqZiR7Brv1.'],
  ['a'.repeat(100), 'salty', 1234, '$6$rounds=1234$salty$8wVn32DZ1.5IUI6X6TRESSbv0Ag33ZSYa4Jk301/tlWUv/lgv6u/0xOjNmNDqcoyXJiRxkdQEseLB1gfwxmO/1'],
];

for (const [password, salt, rounds, expected] of vectors) {
  test(`given password ${JSON.stringify(password.slice(0, 12))} and ${rounds} rounds, when hashed, then it equals glibc crypt(3)`, (t) => {
    t.is(sha512Crypt(password, salt, rounds), expected);
  });
}

test('given the ARI password, when hashed for ari.conf, then it is a salted $6$ hash that never contains the password', (t) => {
  const a = ariPasswordHash('secret-password');
  const b = ariPasswordHash('secret-password');
  t.regex(a.passwordHash, /^\$6\$rounds=1000\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
  t.not(a.passwordHash, b.passwordHash, 'fresh salt each time');
  t.false(a.passwordHash.includes('secret'));
  t.is(cryptSalt().length, 16);
});
