// IVR flows: /flows lists the flows (and creates one), /flows/<id> is the visual editor.
import { lazy, Suspense } from 'react';
import type { Me } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { usePath } from '../router.tsx';
import { FlowList } from './flows/flow-list.tsx';
import './flows.css';

// The editor (and React Flow with it) loads only when a flow is opened: other pages stay light.
const FlowEditor = lazy(() => import('./flows/editor.tsx').then((m) => ({ default: m.FlowEditor })));

export function FlowsPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const path = usePath();
  const id = /^\/flows\/([^/]+)/.exec(path)?.[1];
  if (!id) return <FlowList me={me} />;
  return (
    <Suspense fallback={<main id="main" className="page"><p aria-busy="true">{t('app.loading')}</p></main>}>
      <FlowEditor key={id} id={decodeURIComponent(id)} me={me} />
    </Suspense>
  );
}
