import { usePoll } from '../lib/poll';
import { Time } from '../lib/time';
import type { PatternsResponse } from '../lib/types';
import { Empty, Resource } from '../components/states';
import { templateFilter } from '../lib/logql-text';

function Template({ text }: { text: string }) {
  const parts = text.split('<*>');
  return (
    <span className="template">
      {parts.map((p, i) => (
        <span key={i}>
          {p}
          {i < parts.length - 1 ? <span className="wild" title="a variable part">{'<*>'}</span> : null}
        </span>
      ))}
    </span>
  );
}

/** The mined templates of a service's logs, with counts and first/last seen. */
export function Patterns({ service, services, onService, onShow }: { service: string; services: readonly string[]; onService: (s: string) => void; onShow: (service: string, filter: string) => void }) {
  const polled = usePoll<PatternsResponse>(`/api/v1/logs/patterns?limit=500${service ? `&service=${encodeURIComponent(service)}` : ''}`, 15_000);
  return (
    <>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="p-service">Service</label>
          <select id="p-service" value={service} onChange={(e) => onService(e.target.value)}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Resource polled={polled} what="Patterns">
        {(data) =>
          data.patterns.length === 0 ? (
            <Empty title="No patterns yet">Patterns are mined from every log line as it arrives; send some logs.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table responsive" data-testid="patterns">
                <thead>
                  <tr>
                    <th scope="col">Pattern</th>
                    <th scope="col" className="num">
                      Lines
                    </th>
                    <th scope="col">First seen</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Lines</th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.patterns]
                    .sort((a, b) => b.count - a.count)
                    .map((p) => (
                      <tr key={`${p.service}/${p.id}`}>
                        <td data-label="Pattern">
                          {!service ? <strong>{p.service} </strong> : null}
                          <Template text={p.template} />
                          {p.samples.length ? (
                            <details>
                              <summary className="muted small">examples</summary>
                              <ul className="log-lines">
                                {p.samples.map((s) => (
                                  <li key={s}>{s}</li>
                                ))}
                              </ul>
                            </details>
                          ) : null}
                        </td>
                        <td data-label="Lines" className="num">
                          {p.count.toLocaleString()}
                        </td>
                        <td data-label="First seen">
                          <Time t={p.first_seen} />
                        </td>
                        <td data-label="Last seen">
                          <Time t={p.last_seen} />
                        </td>
                        <td data-label="Lines">
                          <button type="button" className="btn btn-small" onClick={() => onShow(p.service, templateFilter(p.template))}>
                            Show lines
                          </button>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Resource>
    </>
  );
}
