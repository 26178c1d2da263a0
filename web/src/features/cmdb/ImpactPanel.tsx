import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, ErrorAlert, Loading, Panel, SelectField } from '../../ui';
import { useClasses, useImpact, type ImpactDirection } from './api';
import { ImpactGraph } from './ImpactGraph';
import { RELATIONSHIP_LABEL } from './labels';
import { CiStatusBadge, itemPath } from './parts';

const DIRECTIONS: { value: ImpactDirection; label: string }[] = [
  { value: 'dependents', label: 'Affected if it fails' },
  { value: 'dependencies', label: 'What it relies on' },
  { value: 'both', label: 'Both' },
];

/** Impact analysis: the graph around the item in a chosen direction and depth, drawn and listed. */
export function ImpactPanel({ id }: { id: string }) {
  const [direction, setDirection] = useState<ImpactDirection>('dependents');
  const [depth, setDepth] = useState(3);
  const impact = useImpact(id, direction, depth);
  const classes = useClasses();
  const classNames = new Map((classes.data ?? []).map((c) => [c.key, c.name]));
  const names = new Map((impact.data?.nodes ?? []).map((n) => [n.id, n.name]));
  return (
    <Panel title="Impact analysis">
      <div className="stack-sm">
        <div className="inline-form impact-controls">
          <fieldset className="segmented" aria-label="Direction">
            {DIRECTIONS.map((d) => (
              <label key={d.value}>
                <input
                  type="radio"
                  name={`impact-direction-${id}`}
                  value={d.value}
                  checked={direction === d.value}
                  onChange={() => setDirection(d.value)}
                />
                {d.label}
              </label>
            ))}
          </fieldset>
          <SelectField label="Depth" value={String(depth)} onChange={(e) => setDepth(Number(e.target.value))}>
            {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n} {n === 1 ? 'step' : 'steps'}
              </option>
            ))}
          </SelectField>
        </div>
        {impact.isPending ? (
          <Loading />
        ) : impact.isError ? (
          <ErrorAlert error={impact.error} title="The impact could not be worked out" />
        ) : (
          <>
            {impact.data.truncated && (
              <Alert tone="warning" title="The graph is cut short">
                It reached the most items one answer holds before the chosen depth. Pick a smaller depth, or
                open an item further out to see beyond it.
              </Alert>
            )}
            {impact.data.nodes.length <= 1 ? (
              <p className="muted">
                {direction === 'dependencies'
                  ? 'This item relies on nothing recorded.'
                  : direction === 'dependents'
                    ? 'Nothing recorded relies on this item.'
                    : 'This item is not related to any other.'}
              </p>
            ) : (
              <ImpactGraph impact={impact.data} twoSided={direction === 'both'} classNames={classNames} />
            )}
            <details className="impact-list">
              <summary>
                {impact.data.nodes.length - 1} related {impact.data.nodes.length === 2 ? 'item' : 'items'} as
                a list
              </summary>
              <ol aria-label="Items in the impact graph">
                {impact.data.nodes
                  .filter((n) => n.depth > 0)
                  .map((n) => (
                    <li key={n.id}>
                      <Link to={itemPath(n.id)}>{n.name}</Link>{' '}
                      <span className="muted">
                        {classNames.get(n.classKey) ?? n.classKey} · {n.depth}{' '}
                        {n.depth === 1 ? 'step' : 'steps'}
                      </span>{' '}
                      <CiStatusBadge status={n.status} />
                      <ul>
                        {impact.data.edges
                          .filter((e) => e.fromId === n.id || e.toId === n.id)
                          .map((e) => (
                            <li key={`${e.fromId}|${e.type}|${e.toId}`} className="muted">
                              {names.get(e.fromId)} {RELATIONSHIP_LABEL[e.type].out} {names.get(e.toId)}
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
