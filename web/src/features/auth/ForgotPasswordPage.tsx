import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, FormError, TextField, binder, useTitle } from '../../ui';
import { useT } from '../../i18n';
import { AuthCard } from './AuthCard';
import { useForgotPassword } from './passwordLinks';

/** "Forgot password": asks for the address and says the same whatever it is. */
export function ForgotPasswordPage() {
  const t = useT();
  useTitle(t('forgot.pageTitle'));
  const forgot = useForgotPassword();
  const [email, setEmail] = useState('');
  const bind = binder(forgot.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    forgot.mutate({ email });
  };
  return (
    <AuthCard title={t('forgot.title')} intro={t('forgot.intro')}>
      {forgot.isSuccess ? (
        <Alert tone="success" title={t('forgot.checkMail')}>
          {forgot.data.message}
        </Alert>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate aria-label={t('forgot.pageTitle')}>
          <FormError error={forgot.error} title={t('forgot.failed')} />
          <TextField
            label={t('signIn.email')}
            type="email"
            autoComplete="username"
            required
            autoFocus
            {...bind('email', email, setEmail)}
          />
          <Button type="submit" variant="primary" block busy={forgot.isPending}>
            {t('forgot.submit')}
          </Button>
        </form>
      )}
      <p>
        <Link to="/sign-in">{t('forgot.back')}</Link>
      </p>
    </AuthCard>
  );
}
