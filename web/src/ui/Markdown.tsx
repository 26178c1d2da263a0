import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { described, Frame } from './Field';
import { useT } from '../i18n';
import { renderMarkdown } from './markdown';

/** Markdown text rendered safely (see markdown.ts: author HTML is escaped, script URLs are refused). */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const t = useT();
  const html = useMemo(() => renderMarkdown(source), [source]);
  if (source.trim() === '') return <p className="muted">{t('markdown.empty')}</p>;
  // renderMarkdown never passes author HTML through, so this is the one safe use of raw HTML in the app.
  return (
    <div className={['markdown', className ?? ''].join(' ')} dangerouslySetInnerHTML={{ __html: html }} />
  );
}

/** A labelled Markdown text area with Write and Preview tabs. */
export function MarkdownField({
  label,
  value,
  onChange,
  error,
  hint,
  rows = 6,
  required,
  name,
  onKeyDown,
}: {
  /** Keys pressed in the text box (a reply box sends on Ctrl+Enter). */
  onKeyDown?: (e: KeyboardEvent<HTMLTextAreaElement>) => void;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  rows?: number;
  required?: boolean;
  name?: string;
}) {
  const t = useT();
  const id = useId();
  const [preview, setPreview] = useState(false);
  return (
    <Frame id={id} label={label} hint={hint ?? t('markdown.hint')} error={error} className="markdown-field">
      <div className="segmented" role="group" aria-label={t('markdown.writeOrPreview')}>
        <button type="button" aria-pressed={!preview} onClick={() => setPreview(false)}>
          {t('markdown.write')}
        </button>
        <button type="button" aria-pressed={preview} onClick={() => setPreview(true)}>
          {t('markdown.preview')}
        </button>
      </div>
      {preview ? (
        <div className="markdown-preview" aria-label={t('markdown.previewOf', { label })} role="region">
          <Markdown source={value} />
        </div>
      ) : (
        <textarea
          id={id}
          name={name}
          className="textarea"
          rows={rows}
          value={value}
          required={required}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          aria-invalid={error !== undefined || undefined}
          aria-describedby={described(id, hint, error)}
        />
      )}
    </Frame>
  );
}
