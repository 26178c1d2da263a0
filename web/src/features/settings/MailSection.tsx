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
import { type Translate, useT } from '../../i18n';

const SECURITY = {
  none: 'mail.security.none',
  starttls: 'mail.security.starttls',
  tls: 'mail.security.tls',
} as const;

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

const signIn = (t: Translate, user: string | null, passwordSet: boolean) =>
  user === null ? t('mail.noSignIn') : t('mail.signInAs', { user, hasPassword: passwordSet ? 'yes' : 'no' });

function inboundRows(i: MailChannel['inbound'], t: Translate): [string, string][] {
  const common: [string, string][] = [
    [t('mail.largest'), t('mail.megabytes', { n: Math.round(i.maxBytes / 1024 / 1024) })],
    [
      t('mail.unknownSenders'),
      i.unknownSenders === 'create' ? t('mail.unknownCreate') : t('mail.unknownRefuse'),
    ],
    [t('mail.ticketType'), t(TYPE_LABEL[i.ticketType])],
  ];
  if (i.listen) {
    const { host, port, domains } = i.listen;
    return [[t('mail.receives'), t('mail.listens', { host, port, domains: domains.join(', ') })], ...common];
  }
  if (i.imap) {
    const { mailbox, host, port, pollSeconds } = i.imap;
    return [
      [t('mail.receives'), t('mail.reads', { mailbox, host, port, seconds: pollSeconds })],
      [t('mail.security'), t(SECURITY[i.imap.security])],
      [t('mail.signIn'), signIn(t, i.imap.user, i.imap.passwordSet)],
      ...common,
    ];
  }
  return [[t('mail.receives'), t('mail.noReceive')]];
}

/** The e-mail channel: the configured servers (read only: set when Steward starts) and a test message. */
export function MailSection() {
  const t = useT();
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
  if (channel.isError) return <ErrorAlert error={channel.error} title={t('mail.loadFailed')} />;
  const { outbound, inbound } = channel.data;
  return (
    <>
      <PageHeader title={t('settings.section.mail')} description={t('mail.description')} />
      <div className="stack">
        <Panel title={t('mail.sending')}>
          {outbound.enabled ? (
            <Facts
              rows={[
                [t('mail.server'), `${outbound.host ?? ''}:${outbound.port ?? ''}`],
                [t('mail.security'), outbound.security ? t(SECURITY[outbound.security]) : '—'],
                [t('mail.signIn'), signIn(t, outbound.user, outbound.passwordSet)],
                [t('mail.sentAs'), outbound.from],
              ]}
            />
          ) : (
            <p>{t('mail.noServer')}</p>
          )}
        </Panel>
        <Panel title={t('mail.receiving')}>
          <Facts rows={inboundRows(inbound, t)} />
        </Panel>
        <Panel title={t('mail.test')}>
          <form className="form" onSubmit={submit} noValidate aria-label={t('mail.test')}>
            <FormError error={summary} title={t('mail.notSent')} />
            {send.data?.status === 'sent' && <Alert tone="success">{t('mail.accepted', { to })}</Alert>}
            {send.data?.status === 'failed' && (
              <Alert tone="error" title={t('mail.refused')}>
                {send.data.detail}
              </Alert>
            )}
            <TextField label={t('mail.sendTo')} type="email" {...bind('to', to, setTo)} />
            <FormActions submit={t('mail.sendTest')} busy={send.isPending} disabled={!outbound.enabled} />
          </form>
        </Panel>
      </div>
    </>
  );
}
