import { acceptCompletion, autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, completionStatus } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExt } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/** Colours of query syntax, from the theme's custom properties (work in light and dark). */
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier], color: 'var(--sev-high)' },
  { tag: [t.function(t.variableName), t.function(t.name)], color: 'var(--focus)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--up)' },
  { tag: [t.number, t.unit], color: 'var(--maint)' },
  { tag: [t.labelName, t.propertyName, t.attributeName], color: 'var(--degraded)' },
  { tag: [t.comment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.operator, t.compareOperator, t.logicOperator, t.arithmeticOperator], color: 'var(--sev-critical)' },
  { tag: t.invalid, textDecoration: 'underline wavy var(--down)' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--panel)', color: 'var(--text)' },
  '.cm-content': { caretColor: 'var(--text)', padding: '6px 0' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'color-mix(in srgb, var(--focus) 30%, transparent)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-text)' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-matchingBracket': { outline: '1px solid var(--muted)', backgroundColor: 'transparent' },
});

/**
 * What both query editors share: history, brackets, completion, highlighting, the theme, an
 * accessible name, and Enter to run (Shift+Enter for a new line; Enter picks a completion
 * while the list is open).
 */
export function baseExtensions(opts: { label: string; placeholder: string; onRun: () => void; onChange: (text: string) => void }): Extension[] {
  return [
    history(),
    closeBrackets(),
    bracketMatching(),
    autocompletion({ activateOnTyping: true }),
    syntaxHighlighting(highlight),
    theme,
    placeholderExt(opts.placeholder),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': opts.label, 'aria-multiline': 'true', spellcheck: 'false' }),
    EditorState.tabSize.of(2),
    keymap.of([
      {
        key: 'Enter',
        run: (view) => {
          // With the completion list open, Enter takes the selected completion — or, in the
          // instant after the list appears, nothing: never a stray new line.
          if (completionStatus(view.state) === 'active') {
            acceptCompletion(view);
            return true;
          }
          opts.onRun();
          return true;
        },
      },
      { key: 'Mod-Enter', run: () => (opts.onRun(), true) },
      { key: 'Shift-Enter', run: insertNewlineAndIndent },
      ...closeBracketsKeymap,
      ...completionKeymap,
      ...historyKeymap,
      ...defaultKeymap,
    ]),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) opts.onChange(u.state.doc.toString());
    }),
  ];
}
