import type { ReactNode } from 'react';
import { Logo } from '../../ui/icons';

/** The card of the signed-out pages (sign in, forgot password, set a password), with Steward's name. */
export function AuthCard({
  title,
  intro,
  children,
}: {
  title: string;
  intro: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="auth-page">
      <div className="auth-card panel">
        <div className="auth-brand">
          <Logo size={36} />
          <span>Steward</span>
        </div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        {children}
      </div>
    </main>
  );
}
