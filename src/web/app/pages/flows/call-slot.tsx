// "Call this flow from the browser": the desk phone (src/web/app/softphone/) registers only when
// asked — it takes the desk phone's calls from any other browser — then dials a number routed to
// this flow; the keypad sends the caller's keys, and the simulator's path can be compared with
// the real call's.
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { PhonePanel, useDeskPhone } from '../../softphone/phone-panel.tsx';

export interface FlowCallSlotProps {
  flowId: string;
  /** Exact numbers that reach this flow now (prefix and catch-all routes left out). */
  numbers: string[];
}

export function FlowCallSlot({ numbers }: FlowCallSlotProps) {
  const { t } = useI18n();
  const [calling, setCalling] = useState<string>();
  return (
    <section className="call-slot" data-slot="softphone-call" aria-labelledby="call-slot-title">
      <h3 id="call-slot-title">{t('flows.test.call')}</h3>
      {numbers.length === 0 ? <p>{t('flows.test.callNoNumber')}</p> : calling ? <DeskCall number={calling} /> : (
        <div className="row">
          {numbers.map((n) => <button key={n} type="button" onClick={() => setCalling(n)}>{t('flows.test.callNumber', { number: n })}</button>)}
        </div>
      )}
    </section>
  );
}

function DeskCall({ number }: { number: string }) {
  const { t } = useI18n();
  const { phone, missing, error } = useDeskPhone((ready) => ready.dial(number));
  if (missing) return <p>{t('phone.none')}</p>;
  return (
    <>
      {error && <p className="form-error" role="alert">{error}</p>}
      <PhonePanel phone={phone} canDial title={t('phone.deskTitle')} />
    </>
  );
}
