import { useEffect, useState, type ReactNode } from 'react';
import { Button } from './Button';

/**
 * A destructive action that needs a second click: the first click arms it ("Confirm …"), the second runs it.
 * It disarms itself after a few seconds, so that a stray click later does nothing.
 */
export function ConfirmButton({
  children,
  confirmLabel,
  onConfirm,
  busy = false,
  size = 'sm',
}: {
  children: ReactNode;
  confirmLabel: ReactNode;
  onConfirm: () => void;
  busy?: boolean;
  size?: 'sm' | 'md';
}) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), 5000);
    return () => clearTimeout(t);
  }, [armed]);
  return (
    <Button
      variant="danger"
      size={size}
      busy={busy}
      className={armed ? 'is-armed' : undefined}
      onClick={() => {
        if (armed) {
          setArmed(false);
          onConfirm();
        } else setArmed(true);
      }}
      onBlur={() => setArmed(false)}
    >
      {armed ? confirmLabel : children}
    </Button>
  );
}
