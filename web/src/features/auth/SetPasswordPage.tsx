import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, FormError, TextField, binder, useTitle } from '../../ui';
import { AuthCard } from './AuthCard';
import { linkFromHash, useSetPassword } from './passwordLinks';

/** "Set your password": the page an invitation or reset link opens; the token is in the URL's fragment. */
export function SetPasswordPage() {
  useTitle('Set your password');
  const location = useLocation();
  const navigate = useNavigate();
  const link = linkFromHash(location.hash);
  const set = useSetPassword();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const bind = binder(set.error);
  const title = link?.purpose === 'invite' ? 'Welcome: set your password' : 'Choose a new password';
  if (!link) {
    return (
      <AuthCard title="Set your password" intro="This page opens from the link in your e-mail.">
        <Alert tone="error">
          The link is incomplete. Open it again from your e-mail, or{' '}
          <Link to="/forgot-password">ask for a new one</Link>.
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
    <AuthCard title={title} intro="At least 12 characters; a few unusual words make a good one.">
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Set your password">
        <FormError error={set.error} title="The password was not set" />
        {set.error !== null && (
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        )}
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          {...bind('password', password, setPassword)}
        />
        <TextField
          label="Repeat the password"
          type="password"
          autoComplete="new-password"
          required
          name="repeat"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={mismatch ? 'The two passwords differ' : undefined}
        />
        <Button type="submit" variant="primary" block busy={set.isPending}>
          Set password
        </Button>
      </form>
    </AuthCard>
  );
}
