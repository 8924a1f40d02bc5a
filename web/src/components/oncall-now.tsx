import { usePoll } from '../lib/poll';
import { Link } from '../lib/router';
import { Time } from '../lib/time';
import type { OncallResponse } from '../lib/types';
import { Empty, Resource } from './states';

/** Who is on call now on every schedule, until when (GET /api/v1/oncall, where paging is configured). */
export function OnCallNow() {
  const polled = usePoll<OncallResponse>('/api/v1/oncall', 30_000);
  return (
    <Resource polled={polled} what="On-call">
      {(data) =>
        data.oncall.length === 0 ? (
          <Empty title="No schedules">Declare schedules: in vigil.yml (docs/oncall.md).</Empty>
        ) : (
          <ul className="rows compact" data-testid="oncall-now">
            {data.oncall.map((o) => (
              <li key={o.schedule} className="row">
                <span className="row-main">
                  <Link to={`/oncall?schedule=${encodeURIComponent(o.schedule)}`}>{o.schedule}</Link>:{' '}
                  {o.person ? <strong>{o.full_name ?? o.person}</strong> : <span className="form-error">nobody on call</span>}
                </span>
                {o.shift ? (
                  <span className="muted small">
                    until <Time t={o.shift.end} />
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )
      }
    </Resource>
  );
}
