import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, ErrorAlert, Loading, Panel, SelectField } from '../../ui';
import { useClasses, useImpact, type ImpactDirection } from './api';
import { ImpactGraph } from './ImpactGraph';
import { useT } from '../../i18n';
import { relationshipLabel } from './labels';
import { CiStatusBadge, itemPath } from './parts';

const DIRECTIONS: ImpactDirection[] = ['dependents', 'dependencies', 'both'];

/** Impact analysis: the graph around the item in a chosen direction and depth, drawn and listed. */
export function ImpactPanel({ id }: { id: string }) {
  const t = useT();
  const [direction, setDirection] = useState<ImpactDirection>('dependents');
  const [depth, setDepth] = useState(3);
  const impact = useImpact(id, direction, depth);
  const classes = useClasses();
  const classNames = new Map((classes.data ?? []).map((c) => [c.key, c.name]));
  const names = new Map((impact.data?.nodes ?? []).map((n) => [n.id, n.name]));
  return (
    <Panel title={t('cmdb.impact')}>
      <div className="stack-sm">
        <div className="inline-form impact-controls">
          <fieldset className="segmented" aria-label={t('cmdb.impact.direction')}>
            {DIRECTIONS.map((d) => (
              <label key={d}>
                <input
                  type="radio"
                  name={`impact-direction-${id}`}
                  value={d}
                  checked={direction === d}
                  onChange={() => setDirection(d)}
                />
                {t(`cmdb.impact.${d}`)}
              </label>
            ))}
          </fieldset>
          <SelectField
            label={t('cmdb.impact.depth')}
            value={String(depth)}
            onChange={(e) => setDepth(Number(e.target.value))}
          >
            {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {t('cmdb.impact.steps', { count: n })}
              </option>
            ))}
          </SelectField>
        </div>
        {impact.isPending ? (
          <Loading />
        ) : impact.isError ? (
          <ErrorAlert error={impact.error} title={t('cmdb.impact.failed')} />
        ) : (
          <>
            {impact.data.truncated && (
              <Alert tone="warning" title={t('cmdb.impact.truncated')}>
                {t('cmdb.impact.truncatedBody')}
              </Alert>
            )}
            {impact.data.nodes.length <= 1 ? (
              <p className="muted">
                {direction === 'dependencies'
                  ? t('cmdb.impact.reliesOnNothing')
                  : direction === 'dependents'
                    ? t('cmdb.impact.nothingRelies')
                    : t('cmdb.rel.none')}
              </p>
            ) : (
              <ImpactGraph impact={impact.data} twoSided={direction === 'both'} classNames={classNames} />
            )}
            <details className="impact-list">
              <summary>{t('cmdb.impact.asList', { count: impact.data.nodes.length - 1 })}</summary>
              <ol aria-label={t('cmdb.impact.listLabel')}>
                {impact.data.nodes
                  .filter((n) => n.depth > 0)
                  .map((n) => (
                    <li key={n.id}>
                      <Link to={itemPath(n.id)}>{n.name}</Link>{' '}
                      <span className="muted">
                        {classNames.get(n.classKey) ?? n.classKey} ·{' '}
                        {t('cmdb.impact.steps', { count: n.depth })}
                      </span>{' '}
                      <CiStatusBadge status={n.status} />
                      <ul>
                        {impact.data.edges
                          .filter((e) => e.fromId === n.id || e.toId === n.id)
                          .map((e) => (
                            <li key={`${e.fromId}|${e.type}|${e.toId}`} className="muted">
                              {t('cmdb.impact.edge', {
                                from: names.get(e.fromId) ?? '',
                                verb: relationshipLabel(t, e.type),
                                to: names.get(e.toId) ?? '',
                              })}
                            </li>
                          ))}
                      </ul>
                    </li>
                  ))}
              </ol>
            </details>
          </>
        )}
      </div>
    </Panel>
  );
}
