// A ticket's security side: the "security incident" flag (admins and security teams), and for an incident its
// append-only evidence log and the timeline export.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvidenceEntry, EvidenceLog, Ticket } from '@contracts';
import { api } from '../../api/client';
import { Badge, Button, ErrorAlert, Panel, TextField, formatDateTime } from '../../ui';

const base = (id: string) => `/api/v1/tickets/${encodeURIComponent(id)}`;

function EvidencePanelBody({ ticket }: { ticket: Ticket }) {
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
      <ErrorAlert error={log.error} title="The evidence log could not be loaded" />
      {log.data && (
        <>
          <p>
            {log.data.intact ? (
              <Badge tone="success">Chain intact</Badge>
            ) : (
              <Badge tone="danger">Chain broken</Badge>
            )}{' '}
            <span className="muted">{log.data.items.length} entries</span>
          </p>
          <ol className="plain-list" aria-label="Evidence log">
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
        aria-label="Add evidence"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <ErrorAlert error={add.error} title="The evidence was not added" />
        <TextField
          label="Evidence note"
          required
          maxLength={4000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <TextField
          label="SHA-256 of the evidence (optional)"
          value={sha256}
          maxLength={64}
          onChange={(e) => setSha256(e.target.value)}
        />
        <Button type="submit" size="sm" busy={add.isPending}>
          Add to the evidence log
        </Button>
      </form>
      <p>
        Timeline with evidence: <a href={`${base(ticket.id)}/security-timeline?format=csv`}>CSV</a> ·{' '}
        <a href={`${base(ticket.id)}/security-timeline?format=json`}>JSON</a>
      </p>
    </div>
  );
}

/** The security panel of an agent's ticket page. */
export function SecurityPanel({ ticket, onReload }: { ticket: Ticket; onReload: () => void }) {
  const flag = useMutation({
    mutationFn: (security: boolean) => api.put<Ticket>(`${base(ticket.id)}/security`, { security }),
    onSuccess: onReload,
  });
  return (
    <Panel
      title="Security"
      actions={
        <Button size="sm" variant="ghost" busy={flag.isPending} onClick={() => flag.mutate(!ticket.security)}>
          {ticket.security ? 'Not a security incident' : 'Mark as security incident'}
        </Button>
      }
    >
      <div className="stack-sm">
        <ErrorAlert error={flag.error} title="The flag was not changed" />
        {ticket.security ? (
          <>
            <p>
              <Badge tone="danger">Security incident</Badge>{' '}
              <span className="muted">Only the security team and admins see this ticket.</span>
            </p>
            <EvidencePanelBody ticket={ticket} />
          </>
        ) : (
          <p className="muted">An ordinary ticket: everyone who works it sees it.</p>
        )}
      </div>
    </Panel>
  );
}
