import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/client';
import { Alert, Button, TextField, fieldErrorsOf, binder, useTitle } from '../../ui';
import { FormattedMessage } from 'react-intl';
import { type Translate, useT } from '../../i18n';
import { AuthCard } from './AuthCard';
import { useSetupState } from './passwordLinks';
import { useSession, useSignIn } from './session';

function signInError(e: unknown, t: Translate): string {
  if (e instanceof ApiError) {
    if (e.code === 'invalid_credentials') return t('signIn.wrong');
    if (e.code === 'too_many_attempts') return t('signIn.tooMany');
  }
  return errorMessage(e);
}

/** Where to go after signing in: the page that sent the user here, or home. */
function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    return state.from.startsWith('/') && !state.from.startsWith('//') ? state.from : '/';
  }
  return '/';
}

function passwordSet(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'passwordSet' in state && state.passwordSet === true;
}

/** The sign-in page (e-mail and password), with "forgot password" and, on a fresh install, how to begin. */
export function SignInPage() {
  const t = useT();
  useTitle(t('signIn.title'));
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const to = returnPath(location.state);
  const setup = useSetupState();

  if (session.data !== null && session.data !== undefined) return <Navigate to={to} replace />;

  const bind = binder(signIn.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(to, { replace: true }) });
  };

  return (
    <AuthCard title={t('signIn.title')} intro={t('signIn.intro')}>
      {setup.data?.needed === true && (
        <Alert tone="info" title={t('signIn.noAdmin')}>
          <FormattedMessage
            id="signIn.noAdminBody"
            values={{
              command: 'steward admin create --email you@example.com --name "Your Name"',
              code: (chunks) => <code>{chunks}</code>,
            }}
          />
        </Alert>
      )}
      {passwordSet(location.state) && <Alert tone="success">{t('signIn.passwordSet')}</Alert>}
      <form className="form" onSubmit={onSubmit} noValidate aria-label={t('signIn.title')}>
        {signIn.isError && Object.keys(fieldErrorsOf(signIn.error)).length === 0 && (
          <Alert tone="error">{signInError(signIn.error, t)}</Alert>
        )}
        <TextField
          label={t('signIn.email')}
          type="email"
          autoComplete="username"
          required
          autoFocus
          {...bind('email', email, setEmail)}
        />
        <TextField
          label={t('signIn.password')}
          type="password"
          autoComplete="current-password"
          required
          {...bind('password', password, setPassword)}
        />
        <Button type="submit" variant="primary" block busy={signIn.isPending}>
          {t('signIn.submit')}
        </Button>
      </form>
      <p>
        <Link to="/forgot-password">{t('signIn.forgot')}</Link>
      </p>
    </AuthCard>
  );
}
