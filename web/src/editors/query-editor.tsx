import { useEffect, useRef } from 'react';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { baseExtensions } from './setup';

/**
 * A CodeMirror 6 editor for one query language. The value is controlled from outside only
 * when it differs from what the editor holds (URL changes, history navigation).
 */
export function QueryEditor({
  value,
  onChange,
  onRun,
  language,
  label,
  placeholder,
  testId,
}: {
  value: string;
  onChange: (text: string) => void;
  onRun: () => void;
  language: Extension;
  label: string;
  placeholder: string;
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onRun });
  handlers.current = { onChange, onRun };

  useEffect(() => {
    if (!box.current) return;
    const v = new EditorView({
      parent: box.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          ...baseExtensions({ label, placeholder, onRun: () => handlers.current.onRun(), onChange: (t) => handlers.current.onChange(t) }),
          language,
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once per language; `value` updates go through the effect below.
    // (label and placeholder are fixed per page.)
  }, [language]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={box} className="editor" data-shortcut="focus" data-testid={testId} />;
}
