import { useState, type FormEvent } from 'react';
import type { MailChannel } from '@contracts';
import {
  Alert,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  TextField,
  useFieldErrors,
} from '../../ui';
import { useCurrentUser } from '../auth/session';
import { TYPE_LABEL } from '../tickets/labels';
import { useMailChannel, useSendTestMail } from './api';

const SECURITY = { none: 'None (plain text)', starttls: 'STARTTLS', tls: 'TLS from the start' } as const;

function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const signIn = (user: string | null, passwordSet: boolean) =>
  user === null ? 'No sign-in' : `As ${user}${passwordSet ? ', with a password' : ', without a password'}`;

function inboundRows(i: MailChannel['inbound']): [string, string][] {
  const common: [string, string][] = [
    ['Largest message', `${Math.round(i.maxBytes / 1024 / 1024)} MB`],
    [
      'Mail from unknown senders',
      i.unknownSenders === 'create' ? 'Becomes a ticket (a new requester)' : 'Is refused',
    ],
    ['New tickets from mail are', TYPE_LABEL[i.ticketType]],
  ];
  if (i.listen)
    return [
      ['Receives mail', `Listens on ${i.listen.host}:${i.listen.port} for ${i.listen.domains.join(', ')}`],
      ...common,
    ];
  if (i.imap)
    return [
      [
        'Receives mail',
        `Reads the mailbox “${i.imap.mailbox}” at ${i.imap.host}:${i.imap.port} every ${i.imap.pollSeconds} s`,
      ],
      ['Security', SECURITY[i.imap.security]],
      ['Sign-in', signIn(i.imap.user, i.imap.passwordSet)],
      ...common,
    ];
  return [['Receives mail', 'No: mail does not become tickets']];
}

/** The e-mail channel: the configured servers (read only: set when Steward starts) and a test message. */
export function MailSection() {
  const channel = useMailChannel();
  const me = useCurrentUser();
  const send = useSendTestMail();
  const [to, setTo] = useState(me.email);
  const { bind, summary } = useFieldErrors(send.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate(to);
  };
  if (channel.isPending) return <Loading />;
  if (channel.isError)
    return <ErrorAlert error={channel.error} title="The e-mail settings could not be loaded" />;
  const { outbound, inbound } = channel.data;
  return (
    <>
      <PageHeader
        title="E-mail"
        description="These come from Steward’s configuration (STEWARD_SMTP_* and STEWARD_MAIL_*) and change when it restarts."
      />
      <div className="stack">
        <Panel title="Sending">
          {outbound.enabled ? (
            <Facts
              rows={[
                ['Mail server', `${outbound.host ?? ''}:${outbound.port ?? ''}`],
                ['Security', outbound.security ? SECURITY[outbound.security] : '—'],
                ['Sign-in', signIn(outbound.user, outbound.passwordSet)],
                ['Sent as', outbound.from],
              ]}
            />
          ) : (
            <p>No mail server is set: notifications stay in the app.</p>
          )}
        </Panel>
        <Panel title="Receiving">
          <Facts rows={inboundRows(inbound)} />
        </Panel>
        <Panel title="Send a test message">
          <form className="form" onSubmit={submit} noValidate aria-label="Send a test message">
            <FormError error={summary} title="Not sent" />
            {send.data?.status === 'sent' && (
              <Alert tone="success">The mail server accepted the message for {to}.</Alert>
            )}
            {send.data?.status === 'failed' && (
              <Alert tone="error" title="The mail server did not take the message">
                {send.data.detail}
              </Alert>
            )}
            <TextField label="Send to" type="email" {...bind('to', to, setTo)} />
            <FormActions submit="Send test message" busy={send.isPending} disabled={!outbound.enabled} />
          </form>
        </Panel>
      </div>
    </>
  );
}
