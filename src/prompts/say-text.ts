// What "say number/date/currency" speaks in each language, as text for the TTS engine.
// English digits and whole numbers go to Asterisk's own digits:/number: instead (see resolver).

export class SayError extends Error {
  readonly code = 'DESKLINE_SAY';
}

const enMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function sayText(kind: 'digits' | 'number' | 'date' | 'currency', value: string, language: string): string {
  const v = value.trim();
  const zh = language === 'zh-CN';
  switch (kind) {
    case 'digits':
      if (!/^[0-9*#A-D]+$/i.test(v)) throw new SayError(`say digits: ${JSON.stringify(v)} is not digits`);
      return v.split('').map((d) => (d === '*' ? (zh ? '星号' : 'star') : d === '#' ? (zh ? '井号' : 'pound') : d)).join(zh ? '' : ' ');
    case 'number':
      if (!/^-?[0-9]+(\.[0-9]+)?$/.test(v)) throw new SayError(`say number: ${JSON.stringify(v)} is not a number`);
      return v;
    case 'currency': {
      const amount = Number(v);
      if (!Number.isFinite(amount)) throw new SayError(`say currency: ${JSON.stringify(v)} is not an amount`);
      const fixed = Math.abs(amount).toFixed(2);
      const [whole, cents] = fixed.split('.') as [string, string];
      const sign = amount < 0 ? (zh ? '负' : 'minus ') : '';
      if (zh) return `${sign}${whole}元${cents === '00' ? '整' : `${cents[0]}角${cents[1] === '0' ? '' : `${cents[1]}分`}`}`;
      return `${sign}${whole} ${whole === '1' ? 'yuan' : 'yuan'}${cents === '00' ? '' : ` and ${Number(cents)} fen`}`;
    }
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
      if (!m) throw new SayError(`say date: ${JSON.stringify(v)} is not YYYY-MM-DD`);
      const [, y, mo, d] = m as unknown as [string, string, string, string];
      const month = Number(mo);
      if (month < 1 || month > 12 || Number(d) < 1 || Number(d) > 31) throw new SayError(`say date: ${v} is not a date`);
      return zh ? `${y}年${month}月${Number(d)}日` : `${enMonths[month - 1]} ${Number(d)}, ${y}`;
    }
  }
}
