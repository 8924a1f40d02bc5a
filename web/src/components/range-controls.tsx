import { useState } from 'react';
import { RANGES, parsePromDuration } from '../lib/prom';
import { toLocalInput } from '../lib/time';

/** Range (ending now or at a chosen time) and step: the controls both explorers share, values in the URL. */
export function RangeControls({
  range,
  end,
  step,
  onChange,
  showStep = true,
}: {
  range: string;
  end: string;
  step: string;
  onChange: (v: { range?: string; end?: string; step?: string }) => void;
  showStep?: boolean;
}) {
  const [stepText, setStepText] = useState(step);
  const [stepError, setStepError] = useState<string>();
  const endLocal = end ? toLocalInput(Number(end) * 1000) : '';
  return (
    <>
      <div className="field">
        <label htmlFor="rc-range">Range</label>
        <select id="rc-range" value={range} onChange={(e) => onChange({ range: e.target.value })}>
          {Object.keys(RANGES).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="rc-end">Ending at</label>
        <input id="rc-end" type="datetime-local" step="1" value={endLocal} onChange={(e) => onChange({ end: e.target.value ? String(Math.round(new Date(e.target.value).getTime() / 1000)) : '' })} />
      </div>
      {end ? (
        <button type="button" className="btn" onClick={() => onChange({ end: '' })}>
          Now
        </button>
      ) : null}
      {showStep ? (
        <div className="field">
          <label htmlFor="rc-step">Step</label>
          <input
            id="rc-step"
            size={6}
            placeholder="auto"
            value={stepText}
            aria-invalid={stepError ? true : undefined}
            aria-describedby={stepError ? 'rc-step-error' : undefined}
            onChange={(e) => setStepText(e.target.value)}
            onBlur={() => {
              if (stepText.trim() === '' || parsePromDuration(stepText) !== undefined) {
                setStepError(undefined);
                onChange({ step: stepText.trim() });
              } else setStepError('a duration like 15s or 1m');
            }}
          />
          {stepError ? (
            <span className="form-error small" id="rc-step-error">
              {stepError}
            </span>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
