import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, FormError, TextField, binder, useTitle } from '../../ui';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n';
import { AuthCard } from './AuthCard';
import { linkFromHash, useSetPassword } from './passwordLinks';

/** "Set your password": the page an invitation or reset link opens; the token is in the URL's fragment. */
export function SetPasswordPage() {
  const t = useT();
  useTitle(t('setPassword.title'));
  const location = useLocation();
  const navigate = useNavigate();
  const link = linkFromHash(location.hash);
  const set = useSetPassword();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const bind = binder(set.error);
  const title = link?.purpose === 'invite' ? t('setPassword.welcome') : t('setPassword.choose');
  if (!link) {
    return (
      <AuthCard title={t('setPassword.title')} intro={t('setPassword.fromMail')}>
        <Alert tone="error">
          <FormattedMessage
            id="setPassword.incomplete"
            values={{ link: (chunks) => <Link to="/forgot-password">{chunks}</Link> }}
          />
        </Alert>
      </AuthCard>
    );
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    set.mutate(
      { token: link.token, password },
      { onSuccess: () => void navigate('/sign-in', { replace: true, state: { passwordSet: true } }) },
    );
  };
  return (
    <AuthCard title={title} intro={t('setPassword.intro')}>
      <form className="form" onSubmit={onSubmit} noValidate aria-label={t('setPassword.title')}>
        <FormError error={set.error} title={t('setPassword.failed')} />
        {set.error !== null && (
          <p>
            <Link to="/forgot-password">{t('setPassword.newLink')}</Link>
          </p>
        )}
        <TextField
          label={t('setPassword.new')}
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          {...bind('password', password, setPassword)}
        />
        <TextField
          label={t('setPassword.repeat')}
          type="password"
          autoComplete="new-password"
          required
          name="repeat"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={mismatch ? t('setPassword.differ') : undefined}
        />
        <Button type="submit" variant="primary" block busy={set.isPending}>
          {t('setPassword.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
