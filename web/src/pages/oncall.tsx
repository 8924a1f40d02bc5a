import { usePoll } from '../lib/poll';
import { useQuery } from '../lib/use-query';
import { api } from '../lib/api';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { Time, formatDuration } from '../lib/time';
import type { SchedulesResponse, ShiftsResponse } from '../lib/types';
import { Empty, Failure, Loading, Resource } from '../components/states';
import { OnCallNow } from '../components/oncall-now';
import { CalendarUrl } from '../components/calendar-url';
import { useCapability } from '../lib/capabilities';

function Shifts({ schedule, days }: { schedule: string; days: number }) {
  const result = useQuery(`${schedule}|${days}|${Math.floor(Date.now() / 60_000)}`, (signal) => {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + days * 86_400_000).toISOString();
    return api.get<ShiftsResponse>(`/api/v1/schedules/${encodeURIComponent(schedule)}/shifts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { signal });
  });
  if (result.error) return <Failure error={result.error} />;
  if (!result.data) return <Loading what="Loading shifts" />;
  if (result.data.shifts.length === 0) return <Empty title={`Nobody is scheduled in the next ${days} days`} />;
  return (
    <div className="table-wrap">
      <table className="table responsive">
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">For</th>
            <th scope="col">Layer</th>
          </tr>
        </thead>
        <tbody>
          {result.data.shifts.map((s) => (
            <tr key={`${s.start}-${s.person}`}>
              <td data-label="Who">
                <strong>{s.person}</strong>
              </td>
              <td data-label="From">
                <Time t={s.start} />
              </td>
              <td data-label="Until">
                <Time t={s.end} />
              </td>
              <td data-label="For">{formatDuration(Date.parse(s.end) - Date.parse(s.start))}</td>
              <td data-label="Layer">{s.layer}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** On-call schedules: who is on call now, and the shifts ahead (times in your zone; the schedule's zone on hover as UTC). */
export default function OnCall() {
  useTitle('On-call');
  const { search } = useLocation();
  const schedules = usePoll<SchedulesResponse>('/api/v1/schedules', 60_000);
  const chosen = search.get('schedule') ?? '';
  const days = Number(search.get('days') ?? '7') || 7;
  const calendarUrls = useCapability('calendarUrls');
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>On-call</h1>
          <p className="muted">Schedules from the configuration with their overrides. Subscribe to a schedule in your calendar app with its secret calendar URL.</p>
        </div>
      </div>
      <section className="panel" aria-labelledby="now-h">
        <h2 id="now-h">On call now</h2>
        <OnCallNow />
      </section>
      <Resource polled={schedules} what="Schedules">
        {(data) =>
          data.schedules.length === 0 ? null : (
            <section className="panel" aria-labelledby="shifts-h">
              <h2 id="shifts-h">Upcoming shifts</h2>
              <div className="toolbar">
                <div className="field">
                  <label htmlFor="oc-schedule">Schedule</label>
                  <select id="oc-schedule" value={chosen || data.schedules[0]?.name} onChange={(e) => setSearch({ schedule: e.target.value })}>
                    {data.schedules.map((s) => (
                      <option key={s.name} value={s.name}>
                        {s.name} ({s.time_zone})
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="oc-days">Next</label>
                  <select id="oc-days" value={String(days)} onChange={(e) => setSearch({ days: e.target.value === '7' ? undefined : e.target.value })}>
                    {['1', '7', '14', '30'].map((d) => (
                      <option key={d} value={d}>
                        {d} day{d === '1' ? '' : 's'}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <Shifts schedule={chosen || (data.schedules[0]?.name ?? '')} days={days} />
              {calendarUrls ? (
                <>
                  <h3>Calendar</h3>
                  <CalendarUrl kind="schedule" name={chosen || (data.schedules[0]?.name ?? '')} />
                </>
              ) : null}
            </section>
          )
        }
      </Resource>
    </div>
  );
}
