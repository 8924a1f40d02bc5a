import { useEffect, useState } from 'react';
import { ApiFailure, errorText } from '../lib/api';
import { incidentActions } from '../lib/incident-actions';
import { useSession } from '../lib/session';
import { Time } from '../lib/time';
import type { PostmortemView } from '../lib/types';
import { Failure, Loading } from '../components/states';

type Sections = PostmortemView['sections'];
type Section = keyof Sections;
const SECTIONS: ReadonlyArray<[Section, string, string]> = [
  ['summary', 'Summary', 'What happened, in two or three sentences'],
  ['impact', 'Impact', 'Who was affected, how, and for how long'],
  ['detection', 'Detection', 'How we found out, and how we could have found out sooner'],
  ['root_cause', 'Root cause', 'Why it happened (the causes, not the people)'],
  ['timeline', 'Timeline', 'Filled from the incident timeline'],
  ['resolution', 'Resolution', 'What fixed it'],
  ['lessons_learned', 'Lessons learned', 'What went well, what did not, where we got lucky'],
];
const STATUS_TEXT: Record<PostmortemView['status'], string> = { draft: 'Draft', in_review: 'In review', published: 'Published' };

function download(name: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

/**
 * The post-mortem: seven Markdown sections people write together, a review status, and the
 * stored version it was read at, so that saving over someone else's edit is refused rather
 * than losing it. Until first saved it is the draft Vigil generates from the incident.
 */
export function PostmortemEditor({ id }: { id: string }) {
  const { can } = useSession();
  const [pm, setPm] = useState<PostmortemView>();
  const [sections, setSections] = useState<Sections>();
  const [status, setStatus] = useState<PostmortemView['status']>('draft');
  const [loadError, setLoadError] = useState<unknown>();
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string>();
  const [runs, setRuns] = useState(0);
  useEffect(() => {
    let stop = false;
    incidentActions.postmortem(id).then(
      (p) => {
        if (stop) return;
        setPm(p);
        setSections(p.sections);
        setStatus(p.status);
        setConflict(false);
        setError(undefined);
      },
      (e: unknown) => !stop && setLoadError(e),
    );
    return () => {
      stop = true;
    };
  }, [id, runs]);
  if (loadError && !pm) return <Failure error={loadError} retry={() => (setLoadError(undefined), setRuns((n) => n + 1))} what="The post-mortem could not be loaded" />;
  if (!pm || !sections) return <Loading what="Loading the post-mortem" />;
  const editable = can('responder');
  const dirty = status !== pm.status || SECTIONS.some(([k]) => sections[k] !== pm.sections[k]);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await incidentActions.savePostmortem(id, { version: pm.version, status, ...sections });
      setPm(saved);
      setSections(saved.sections);
      setStatus(saved.status);
      setSaid(`Post-mortem saved (version ${saved.version})`);
    } catch (e) {
      setConflict(e instanceof ApiFailure && e.status === 409);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="postmortem"
      aria-label={`Post-mortem of ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="postmortem-head">
        <p className="muted small" data-testid="postmortem-state">
          {pm.stored ? (
            <>
              {STATUS_TEXT[pm.status]} · version {pm.version}, saved <Time t={pm.updated_at} /> by {pm.updated_by}
              {pm.published_at ? (
                <>
                  {' '}
                  · published <Time t={pm.published_at} />
                </>
              ) : null}
            </>
          ) : (
            'A draft generated from the incident: nothing is stored until you save it.'
          )}
        </p>
        <div className="actions">
          <button type="button" className="btn" onClick={() => void incidentActions.postmortemMarkdown(id).then((md) => navigator.clipboard?.writeText(md), (e: unknown) => setError(errorText(e)))}>
            Copy Markdown
          </button>
          <button type="button" className="btn" onClick={() => void incidentActions.postmortemMarkdown(id).then((md) => download(`${id}-postmortem.md`, md), (e: unknown) => setError(errorText(e)))}>
            Download {id}-postmortem.md
          </button>
        </div>
      </div>
      {SECTIONS.map(([key, title, hint]) => (
        <div key={key} className="pm-section">
          <label htmlFor={`pm-${key}`}>{title}</label>
          {editable ? (
            <textarea id={`pm-${key}`} rows={key === 'timeline' ? 8 : 4} value={sections[key]} placeholder={hint} onChange={(e) => setSections({ ...sections, [key]: e.target.value })} />
          ) : (
            <pre id={`pm-${key}`} className="markdown" tabIndex={0}>
              {sections[key] || '–'}
            </pre>
          )}
        </div>
      ))}
      {editable ? (
        <div className="postmortem-save">
          <div className="field">
            <label htmlFor="pm-status">Review status</label>
            <select id="pm-status" value={status} onChange={(e) => setStatus(e.target.value as PostmortemView['status'])}>
              {(Object.keys(STATUS_TEXT) as Array<PostmortemView['status']>).map((s) => (
                <option key={s} value={s}>
                  {STATUS_TEXT[s]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy || (!dirty && pm.stored)}>
            {busy ? 'Saving…' : pm.stored ? 'Save post-mortem' : 'Save draft'}
          </button>
          {conflict ? (
            <button type="button" className="btn" onClick={() => setRuns((n) => n + 1)}>
              Load their version (discards yours)
            </button>
          ) : null}
          <span className="sr-only" role="status">
            {said}
          </span>
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {conflict ? `${error} (copy your changes first: loading their version discards yours)` : error}
        </p>
      ) : null}
    </form>
  );
}
