import { useParams } from 'react-router-dom';
import { ARTICLE_TRANSITIONS, type Article } from '@contracts';
import { useCurrentUser } from '../auth/session';
import { Button, ErrorAlert, Loading, Notice, PageHeader, Panel } from '../../ui';
import { useArticle, useArticleAction } from './api';
import {
  AcknowledgePanel,
  ArticleBody,
  CampaignPanel,
  EditPanel,
  ReviewPanel,
  VersionsPanel,
} from './ArticlePanels';
import { AUDIENCE_LABEL, KIND_LABEL, MOVE_LABEL, STATUS_LABEL } from './labels';
import './knowledge.css';

const back = { to: '/kb', label: 'Knowledge' };

/** The moves an author may ask for from here. */
function MovePanel({ a }: { a: Article }) {
  const act = useArticleAction(a.id);
  const moves = ARTICLE_TRANSITIONS[a.status];
  if (moves.length === 0) return null;
  return (
    <Panel title="Next step">
      {act.isError && <ErrorAlert error={act.error} />}
      <div className="row">
        {moves.map((to) => (
          <Button
            key={to}
            busy={act.isPending}
            onClick={() => act.mutate({ path: 'transitions', body: { to } })}
          >
            {MOVE_LABEL[to]}
          </Button>
        ))}
      </div>
    </Panel>
  );
}

/** An article: readers see the published text; authors also the newest version, its review and versions. */
export function ArticlePage() {
  const { id = '' } = useParams();
  const me = useCurrentUser();
  const q = useArticle(id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const a = q.data.data;
  const author = me.role !== 'requester';
  const manager = me.role === 'manager' || me.role === 'admin';
  const title = a.published?.title ?? a.working?.title ?? a.key;
  const newer = a.working && a.working.version !== a.published?.version ? a.working : null;
  return (
    <>
      <PageHeader
        title={`${a.key} ${title}`}
        back={back}
        description={`${KIND_LABEL[a.kind]} · ${STATUS_LABEL[a.status]} · for ${a.teamName ?? AUDIENCE_LABEL[a.audience]}${
          a.ownerName ? ` · owner ${a.ownerName}` : ''
        }${a.reviewAt ? ` · review by ${a.reviewAt}` : ''}${a.validTo ? ` · valid to ${a.validTo}` : ''}`}
      />
      <Notice />
      <div className="stack">
        <AcknowledgePanel a={a} />
        {author && <MovePanel a={a} />}
        <ReviewPanel a={a} />
        {a.published ? (
          <Panel title={`Published version ${a.published.version}`}>
            <ArticleBody text={a.published} />
          </Panel>
        ) : (
          <p className="muted">Not published yet.</p>
        )}
        {newer && (
          <Panel title={`Version ${newer.version} (${STATUS_LABEL[a.status].toLowerCase()})`}>
            <h3>{newer.title}</h3>
            <ArticleBody text={newer} />
          </Panel>
        )}
        {a.canEdit && <EditPanel key={a.version} a={a} etag={q.data.etag ?? ''} />}
        {manager && a.kind === 'policy' && a.published && <CampaignPanel a={a} />}
        {author && <VersionsPanel a={a} />}
      </div>
    </>
  );
}
