import { useEffect, useState } from 'react';
import { errorText } from '../lib/api';
import { formatMatcher, parseMatcher, silenceApi } from '../lib/silences';
import { useSession } from '../lib/session';
import { parsePromDuration } from '../lib/prom';
import { Dialog } from './dialog';

/** Create a silence; from an alert, its labels come filled in as equality matchers (edit or remove any). */
export function SilenceDialog({ open, labels, onClose, onCreated }: { open: boolean; labels?: Record<string, string>; onClose: () => void; onCreated: (id: string) => void }) {
  const { session } = useSession();
  const [matchers, setMatchers] = useState('');
  const [duration, setDuration] = useState('2h');
  const [comment, setComment] = useState('');
  const [creator, setCreator] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!open) return;
    setMatchers(Object.entries(labels ?? {}).map(([name, value]) => formatMatcher({ name, value, isRegex: false, isEqual: true })).join('\n'));
    setCreator(session?.name && session.name !== 'anonymous' ? session.name : '');
    setError(undefined);
  }, [open, labels, session?.name]);
  const submit = async () => {
    const lines = matchers.split('\n').map((l) => l.trim()).filter(Boolean);
    const parsed = lines.map((l) => [l, parseMatcher(l)] as const);
    const bad = parsed.find(([, m]) => !m);
    if (bad) return setError(`"${bad[0]}" is not a matcher: write name="value", name!="value", name=~"regex" or name!~"regex"`);
    if (parsed.length === 0) return setError('a silence needs at least one matcher');
    const secs = parsePromDuration(duration);
    if (!secs) return setError('duration: write e.g. 30m, 2h or 1d');
    if (!comment.trim()) return setError('say why: the comment is shown to everyone who sees the silence');
    if (!creator.trim()) return setError('say who creates it');
    setBusy(true);
    setError(undefined);
    try {
      const now = Date.now();
      const r = await silenceApi.create({
        matchers: parsed.map(([, m]) => m as NonNullable<typeof m>),
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + secs * 1000).toISOString(),
        createdBy: creator.trim(),
        comment: comment.trim(),
      });
      onCreated(r.silenceID);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title="New silence" onClose={onClose} onSubmit={() => void submit()} submitLabel="Create silence" busy={busy} error={error}>
      <label htmlFor="sil-matchers">Matchers, one per line</label>
      <textarea id="sil-matchers" className="mono" rows={5} value={matchers} onChange={(e) => setMatchers(e.target.value)} autoFocus />
      <label htmlFor="sil-duration">For how long</label>
      <input id="sil-duration" value={duration} onChange={(e) => setDuration(e.target.value)} />
      <label htmlFor="sil-creator">Created by</label>
      <input id="sil-creator" value={creator} onChange={(e) => setCreator(e.target.value)} />
      <label htmlFor="sil-comment">Why</label>
      <input id="sil-comment" value={comment} onChange={(e) => setComment(e.target.value)} placeholder="e.g. planned database upgrade" />
    </Dialog>
  );
}
