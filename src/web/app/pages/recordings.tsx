// Recordings (supervisors): /recordings searches calls and their recordings; /recordings/<id>
// plays one call's recording with its transcript and QA. Parts live in pages/recordings/.
import type { Me } from '../api.ts';
import { usePath } from '../router.tsx';
import { SearchView } from './recordings/search.tsx';
import { RecordingView } from './recordings/view.tsx';
import './recordings.css';

export function RecordingsPage({ me }: { me: Me }) {
  const path = usePath();
  const id = path.startsWith('/recordings/') ? decodeURIComponent(path.slice('/recordings/'.length)) : '';
  return id ? <RecordingView id={id} me={me} /> : <SearchView me={me} />;
}
