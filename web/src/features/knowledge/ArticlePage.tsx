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
import { useAudienceLabel, useKindLabel, useMoveLabel, useStatusLabel } from './labels';
import { ArticleLinksPanel } from './ArticleLinksPanel';
import { useT } from '../../i18n';
import './knowledge.css';

/** The moves an author may ask for from here. */
function MovePanel({ a }: { a: Article }) {
  const t = useT();
  const moveLabel = useMoveLabel();
  const act = useArticleAction(a.id);
  const moves = ARTICLE_TRANSITIONS[a.status];
  if (moves.length === 0) return null;
  return (
    <Panel title={t('kb.article.next')}>
      {act.isError && <ErrorAlert error={act.error} />}
      <div className="row">
        {moves.map((to) => (
          <Button
            key={to}
            busy={act.isPending}
            onClick={() => act.mutate({ path: 'transitions', body: { to } })}
          >
            {moveLabel(to)}
          </Button>
        ))}
      </div>
    </Panel>
  );
}

/** An article: readers see the published text; authors also the newest version, its review and versions. */
export function ArticlePage() {
  const t = useT();
  const kindLabel = useKindLabel();
  const statusLabel = useStatusLabel();
  const audienceLabel = useAudienceLabel();
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
        back={{ to: '/kb', label: t('kb.list.title') }}
        description={[
          kindLabel(a.kind),
          statusLabel(a.status),
          t('kb.article.for', { who: a.teamName ?? audienceLabel(a.audience) }),
          a.ownerName && t('kb.article.owner', { name: a.ownerName }),
          a.reviewAt && t('kb.article.reviewBy', { date: a.reviewAt }),
          a.validTo && t('kb.article.validTo', { date: a.validTo }),
          a.reviewFlag && t('kb.flag.short'),
        ]
          .filter(Boolean)
          .join(' · ')}
      />
      <Notice />
      <div className="stack">
        <AcknowledgePanel a={a} />
        {author && <MovePanel a={a} />}
        <ReviewPanel a={a} />
        {a.published ? (
          <Panel title={t('kb.article.publishedVersion', { version: a.published.version })}>
            <ArticleBody text={a.published} />
          </Panel>
        ) : (
          <p className="muted">{t('kb.article.notPublished')}</p>
        )}
        {newer && (
          <Panel
            title={t('kb.article.version', {
              version: newer.version,
              status: statusLabel(a.status).toLowerCase(),
            })}
          >
            <h3>{newer.title}</h3>
            <ArticleBody text={newer} />
          </Panel>
        )}
        {a.canEdit && <EditPanel key={a.version} a={a} etag={q.data.etag ?? ''} />}
        {manager && a.kind === 'policy' && a.published && <CampaignPanel a={a} />}
        {author && <ArticleLinksPanel a={a} />}
        {author && <VersionsPanel a={a} />}
      </div>
    </>
  );
}
