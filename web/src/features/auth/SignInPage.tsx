import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/client';
import { Alert, Button, TextField, fieldErrorsOf, binder, useTitle } from '../../ui';
import { Logo } from '../../ui/icons';
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

/** The sign-in page (e-mail and password). */
export function SignInPage() {
  useTitle('Sign in');
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const to = returnPath(location.state);

  if (session.data !== null && session.data !== undefined) return <Navigate to={to} replace />;

  const bind = binder(signIn.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(to, { replace: true }) });
  };

  return (
    <main className="auth-page">
      <div className="auth-card panel">
        <div className="auth-brand">
          <Logo size={36} />
          <span>Steward</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">Use your Steward account to continue.</p>
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
      </div>
    </main>
  );
}
