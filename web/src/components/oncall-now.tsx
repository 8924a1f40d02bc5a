import { usePoll } from '../lib/poll';
import { Empty, Resource } from './states';

interface OnCallEntry {
  readonly schedule?: string;
  readonly name?: string;
  readonly person?: string | { name?: string; id?: string };
  readonly people?: ReadonlyArray<string | { name?: string; id?: string }>;
  readonly until?: string;
  readonly end?: string;
}

const who = (p: string | { name?: string; id?: string } | undefined) => (typeof p === 'string' ? p : (p?.name ?? p?.id ?? '?'));

/** Who is on call now, per schedule (GET /api/v1/oncall, where paging exists). */
export function OnCallNow() {
  const polled = usePoll<{ oncall?: OnCallEntry[]; schedules?: OnCallEntry[] }>('/api/v1/oncall', 30_000);
  return (
    <Resource polled={polled} what="On-call">
      {(data) => {
        const rows = data.oncall ?? data.schedules ?? [];
        if (rows.length === 0) return <Empty title="No schedules" />;
        return (
          <ul className="rows compact">
            {rows.map((r, i) => (
              <li key={`${r.schedule ?? r.name ?? i}`} className="row">
                <span className="row-main">
                  <strong>{r.schedule ?? r.name}</strong>: {r.people ? r.people.map(who).join(', ') : who(r.person)}
                </span>
              </li>
            ))}
          </ul>
        );
      }}
    </Resource>
  );
}
