import { useId, useState, type FormEvent } from 'react';
import type { Ticket } from '@contracts';
import { Button, ErrorAlert, Panel, TextAreaField, fieldErrorsOf } from '../../ui';
import { useConfirm, useReopen } from '../tickets/api';
import { useT } from '../../i18n';

/** Five radio buttons drawn as stars; each is labelled "N stars" for assistive technology and tests. */
function StarRating({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  const t = useT();
  const name = useId();
  return (
    <fieldset className="star-rating">
      <legend className="field-label">{t('resolution.satisfied')}</legend>
      <div className="stars-input">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className={n <= value ? 'is-on' : undefined} title={t('resolution.ofFive', { n })}>
            <input
              type="radio"
              name={name}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
              aria-label={t('resolution.stars', { n })}
            />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Shown to the requester on a resolved ticket: confirm (closes it) with an optional rating and comment, or
 * reopen with a reason. The server enforces the reopen window and says so when it has passed.
 */
export function ResolutionPanel({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const confirm = useConfirm(ticket.id);
  const reopen = useReopen(ticket.id);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');

  const onConfirm = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate({
      ...(rating > 0 ? { rating } : {}),
      ...(comment.trim() !== '' ? { comment } : {}),
    });
  };
  const onReopen = (e: FormEvent) => {
    e.preventDefault();
    reopen.mutate(reason.trim() === '' ? {} : { reason });
  };

  return (
    <Panel title={t('resolution.solved')}>
      {reopening ? (
        <form className="form" onSubmit={onReopen} noValidate aria-label={t('resolution.reopen')}>
          <ErrorAlert error={reopen.error} title={t('resolution.notReopened')} />
          <TextAreaField
            label={t('resolution.stillWrong')}
            rows={4}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={fieldErrorsOf(reopen.error).reason}
          />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={reopen.isPending}>
              {t('resolution.reopenTicket')}
            </Button>
            <Button variant="ghost" onClick={() => setReopening(false)}>
              {t('resolution.back')}
            </Button>
          </div>
        </form>
      ) : (
        <form className="form" onSubmit={onConfirm} noValidate aria-label={t('resolution.confirm')}>
          <ErrorAlert error={confirm.error} title={t('resolution.notConfirmed')} />
          <StarRating value={rating} onChange={setRating} />
          <TextAreaField
            label={t('resolution.comment')}
            rows={3}
            maxLength={2000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            error={fieldErrorsOf(confirm.error).comment}
          />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={confirm.isPending}>
              {t('resolution.yesClose')}
            </Button>
            <Button onClick={() => setReopening(true)}>{t('resolution.noReopen')}</Button>
          </div>
        </form>
      )}
    </Panel>
  );
}
