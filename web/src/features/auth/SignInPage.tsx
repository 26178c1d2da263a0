import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/client';
import { Alert, Button, TextField, fieldErrorsOf, binder, useTitle } from '../../ui';
import { AuthCard } from './AuthCard';
import { useSetupState } from './passwordLinks';
import { useSession, useSignIn } from './session';

function signInError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'invalid_credentials') return 'The e-mail address or password is not correct.';
    if (e.code === 'too_many_attempts') return e.detail ?? 'Too many attempts. Wait a moment and try again.';
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
  useTitle('Sign in');
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
    <AuthCard title="Sign in" intro="Use your Steward account to continue.">
      {setup.data?.needed === true && (
        <Alert tone="info" title="No admin yet">
          This Steward has no admin account. On the server, run{' '}
          <code>steward admin create --email you@example.com --name "Your Name"</code>: while the server runs,
          it uses the set-up token the server printed at start.
        </Alert>
      )}
      {passwordSet(location.state) && <Alert tone="success">Your password is set. Sign in with it.</Alert>}
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Sign in">
        {signIn.isError && Object.keys(fieldErrorsOf(signIn.error)).length === 0 && (
          <Alert tone="error">{signInError(signIn.error)}</Alert>
        )}
        <TextField
          label="E-mail"
          type="email"
          autoComplete="username"
          required
          autoFocus
          {...bind('email', email, setEmail)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          {...bind('password', password, setPassword)}
        />
        <Button type="submit" variant="primary" block busy={signIn.isPending}>
          Sign in
        </Button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
    </AuthCard>
  );
}
