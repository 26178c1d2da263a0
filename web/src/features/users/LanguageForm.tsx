import { useState, type FormEvent } from 'react';
import type { Locale } from '@contracts';
import { isApiError } from '../../api/client';
import { browserLanguages, LOCALES, pickLocale, useT } from '../../i18n';
import { Button, ErrorAlert, Panel, SelectField, StaleAlert } from '../../ui';
import { useUpdateUser } from './api';
import type { FormProps } from './PasswordForm';

const BROWSER = 'browser';

/**
 * The user's language, kept on the server so that it follows them to every browser. "As my browser" (null)
 * takes the browser's language each time. Saving re-renders the whole app in the new language.
 */
export function LanguageForm({ user, etag, onReload }: Omit<FormProps, 'onSaved'>) {
  const t = useT();
  const update = useUpdateUser(user.id);
  const [choice, setChoice] = useState<string>(user.locale ?? BROWSER);
  const browser = pickLocale(null, browserLanguages());
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const locale = choice === BROWSER ? null : (choice as Locale);
    update.mutate({ patch: { locale }, etag });
  };
  return (
    <Panel title={t('account.language.title')}>
      <form className="form" onSubmit={onSubmit} noValidate aria-label={t('account.language.title')}>
        {isApiError(update.error, 'stale') ? (
          <StaleAlert
            what={t('what.user')}
            onReload={() => {
              update.reset();
              onReload();
            }}
          />
        ) : (
          <ErrorAlert error={update.error} title={t('account.language.failed')} />
        )}
        <SelectField
          label={t('account.language.label')}
          hint={t('account.language.hint')}
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
        >
          <option value={BROWSER}>
            {t('account.language.browser', { language: t(`language.${browser}`) })}
          </option>
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`language.${l}`)}
            </option>
          ))}
        </SelectField>
        <div className="form-actions">
          <Button type="submit" busy={update.isPending} disabled={choice === (user.locale ?? BROWSER)}>
            {t('account.language.save')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
