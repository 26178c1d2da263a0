import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, FormError, TextField, binder, useTitle } from '../../ui';
import { AuthCard } from './AuthCard';
import { useForgotPassword } from './passwordLinks';

/** "Forgot password": asks for the address and says the same whatever it is. */
export function ForgotPasswordPage() {
  useTitle('Forgot password');
  const forgot = useForgotPassword();
  const [email, setEmail] = useState('');
  const bind = binder(forgot.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    forgot.mutate({ email });
  };
  return (
    <AuthCard
      title="Forgot your password?"
      intro="Enter your e-mail address: we send you a link to choose a new one."
    >
      {forgot.isSuccess ? (
        <Alert tone="success" title="Check your mail">
          {forgot.data.message}
        </Alert>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate aria-label="Forgot password">
          <FormError error={forgot.error} title="The link could not be sent" />
          <TextField
            label="E-mail"
            type="email"
            autoComplete="username"
            required
            autoFocus
            {...bind('email', email, setEmail)}
          />
          <Button type="submit" variant="primary" block busy={forgot.isPending}>
            Send the link
          </Button>
        </form>
      )}
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}
