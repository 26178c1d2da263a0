import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { Change } from '@contracts';
import { api } from '../../api/client';
import { Alert, Button, ErrorAlert, Loading, PageHeader, Panel, TextField } from '../../ui';
import { changePath } from './api';
import { useT } from '../../i18n';
import { RiskBadge, statusName, windowText } from './parts';

const LINKS = '/api/v1/change-approval-links';

/** The secret of the e-mailed link, from the address's fragment (never sent to a server by the browser). */
const tokenOfAddress = () => new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';

/**
 * The page an approval e-mail's link opens: which change waits for the signed-in approver, and their decision
 * after a look at it. The link works once and for the person it was sent to only.
 */
export function ApproveLinkPage() {
  const t = useT();
  const [token] = useState(tokenOfAddress);
  const [reason, setReason] = useState('');
  const link = useQuery({
    queryKey: ['changes', 'approval-link', token],
    queryFn: async () => {
      const l = await api.post<{ changeId: string; level: number }>(`${LINKS}/look-up`, { token });
      return { ...l, change: await api.get<Change>(`/api/v1/changes/${l.changeId}`) };
    },
    enabled: token !== '',
    retry: false,
  });
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      api.post<Change>(`${LINKS}/decide`, { token, decision, reason }),
  });
  const header = (
    <PageHeader title={t('changes.approveTitle')} back={{ to: '/changes', label: t('nav.changes') }} />
  );
  if (!token)
    return (
      <>
        {header}
        <Alert tone="error">{t('changes.noLink')}</Alert>
      </>
    );
  if (link.isPending) return <Loading />;
  if (link.isError)
    return (
      <>
        {header}
        <Alert tone="error" title={t('changes.linkBroken')}>
          {t('changes.linkBrokenBody')}
        </Alert>
      </>
    );
  const c = link.data.change;
  const level = c.approvals.find((l) => l.level === link.data.level);
  return (
    <>
      {header}
      <Panel title={`${c.key} ${c.title}`}>
        <div className="stack-sm">
          <p>
            <RiskBadge risk={c.risk} />{' '}
            {t('changes.linkLine', {
              window: windowText(t, c.plannedStart, c.plannedEnd),
              by: c.requestedBy,
            })}
          </p>
          <p>
            {level
              ? t('changes.levelWaitsTeam', { level: link.data.level, team: level.teamName })
              : t('changes.levelWaits', { level: link.data.level })}{' '}
            <Link to={changePath(c.id)}>{t('changes.readWhole')}</Link>
          </p>
          {decide.isSuccess ? (
            <Alert tone="success" title={t('changes.decisionRecorded')}>
              {t('changes.nowIn', { key: c.key, status: statusName(t, decide.data.status) })}
            </Alert>
          ) : (
            <>
              {decide.isError && <ErrorAlert error={decide.error} />}
              <TextField
                label={t('changes.reason')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <div className="row">
                <Button variant="primary" busy={decide.isPending} onClick={() => decide.mutate('approve')}>
                  {t('changes.approve')}
                </Button>
                <Button busy={decide.isPending} onClick={() => decide.mutate('reject')}>
                  {t('changes.reject')}
                </Button>
              </div>
            </>
          )}
        </div>
      </Panel>
    </>
  );
}
