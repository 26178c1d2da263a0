// A ticket's security side: the "security incident" flag (admins and security teams), and for an incident its
// append-only evidence log and the timeline export.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvidenceEntry, EvidenceLog, Ticket } from '@contracts';
import { api } from '../../api/client';
import { Msg, useT } from '../../i18n';
import { Badge, Button, ErrorAlert, Panel, TextField, formatDateTime } from '../../ui';

const base = (id: string) => `/api/v1/tickets/${encodeURIComponent(id)}`;

function EvidencePanelBody({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const qc = useQueryClient();
  const log = useQuery({
    queryKey: ['evidence', ticket.id],
    queryFn: ({ signal }) => api.get<EvidenceLog>(`${base(ticket.id)}/evidence`, undefined, signal),
  });
  const [note, setNote] = useState('');
  const [sha256, setSha256] = useState('');
  const add = useMutation({
    mutationFn: () =>
      api.post<EvidenceEntry>(`${base(ticket.id)}/evidence`, {
        note,
        ...(sha256.trim() ? { sha256: sha256.trim() } : {}),
      }),
    onSuccess: () => {
      setNote('');
      setSha256('');
      void qc.invalidateQueries({ queryKey: ['evidence', ticket.id] });
    },
  });
  return (
    <div className="stack-sm">
      <ErrorAlert error={log.error} title={t('security.evidenceLoadFailed')} />
      {log.data && (
        <>
          <p>
            {log.data.intact ? (
              <Badge tone="success">{t('security.chainIntact')}</Badge>
            ) : (
              <Badge tone="danger">{t('security.chainBroken')}</Badge>
            )}{' '}
            <span className="muted">{t('security.entries', { count: log.data.items.length })}</span>
          </p>
          <ol className="plain-list" aria-label={t('security.evidenceLog')}>
            {log.data.items.map((e) => (
              <li key={e.id}>
                <strong>#{e.seq}</strong> {e.note}
                {e.fileName && ` (${e.fileName})`}
                <div className="muted">
                  {e.by}, {formatDateTime(e.at)}
                  {e.sha256 && (
                    <>
                      {' '}
                      · SHA-256 <span className="mono">{e.sha256.slice(0, 16)}…</span>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
      <form
        className="stack-sm"
        aria-label={t('security.addEvidence')}
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <ErrorAlert error={add.error} title={t('security.addFailed')} />
        <TextField
          label={t('security.evidenceNote')}
          required
          maxLength={4000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <TextField
          label={t('security.evidenceSha')}
          value={sha256}
          maxLength={64}
          onChange={(e) => setSha256(e.target.value)}
        />
        <Button type="submit" size="sm" busy={add.isPending}>
          {t('security.addSubmit')}
        </Button>
      </form>
      <p>
        <Msg
          id="security.timeline"
          values={{
            csv: (chunks) => <a href={`${base(ticket.id)}/security-timeline?format=csv`}>{chunks}</a>,
            json: (chunks) => <a href={`${base(ticket.id)}/security-timeline?format=json`}>{chunks}</a>,
          }}
        />
      </p>
    </div>
  );
}

/** The security panel of an agent's ticket page. */
export function SecurityPanel({ ticket, onReload }: { ticket: Ticket; onReload: () => void }) {
  const t = useT();
  const flag = useMutation({
    mutationFn: (security: boolean) => api.put<Ticket>(`${base(ticket.id)}/security`, { security }),
    onSuccess: onReload,
  });
  return (
    <Panel
      title={t('security.title')}
      actions={
        <Button size="sm" variant="ghost" busy={flag.isPending} onClick={() => flag.mutate(!ticket.security)}>
          {ticket.security ? t('security.unmark') : t('security.mark')}
        </Button>
      }
    >
      <div className="stack-sm">
        <ErrorAlert error={flag.error} title={t('security.flagFailed')} />
        {ticket.security ? (
          <>
            <p>
              <Badge tone="danger">{t('security.incident')}</Badge>{' '}
              <span className="muted">{t('security.restricted')}</span>
            </p>
            <EvidencePanelBody ticket={ticket} />
          </>
        ) : (
          <p className="muted">{t('security.ordinary')}</p>
        )}
      </div>
    </Panel>
  );
}
