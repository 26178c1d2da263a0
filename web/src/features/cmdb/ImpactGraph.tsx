import { useId, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Impact } from '@contracts';
import { Button } from '../../ui';
import { GROUP_PAGE, foldGraph, pluralName, type FoldedNode } from './graphGroups';
import { clip, layoutGraph, type PlacedNode } from './graphLayout';
import { activeLocale, useT } from '../../i18n';
import { relationshipLabel } from './labels';
import { itemPath } from './parts';

/**
 * The impact graph drawn in inline SVG: a box per item in columns by distance (the root highlighted), an arrow
 * per relationship with its type. Every box is a link to its item's page. Many neighbours of one kind fold into
 * one box ("797 software installations", graphGroups) that opens a page of them per click or tap. The layout
 * is graphLayout's; on a phone the drawing scrolls inside its panel.
 */
export function ImpactGraph({
  impact,
  twoSided,
  classNames,
}: {
  impact: Impact;
  twoSided: boolean;
  classNames: Map<string, string>;
}) {
  const t = useT();
  const navigate = useNavigate();
  const marker = `arrow-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(new Map());
  const className = (key: string) => classNames.get(key) ?? key;
  // class names are people's own words: their plural is known only in English ("software installations")
  const noun = (key: string, count: number) =>
    activeLocale() === 'en' ? pluralName(className(key), count) : className(key);
  const folded = foldGraph(impact, shown, (key, count, more) =>
    t(more ? 'cmdb.graph.groupMore' : 'cmdb.graph.group', { count, noun: noun(key, count) }),
  );
  const layout = layoutGraph(folded, twoSided);
  const open = (key: string) => setShown((prev) => new Map(prev).set(key, (prev.get(key) ?? 0) + GROUP_PAGE));
  return (
    <div className="stack-sm">
      {shown.size > 0 && (
        <div className="toolbar">
          <Button onClick={() => setShown(new Map())}>{t('cmdb.graph.fold')}</Button>
        </div>
      )}
      <div className="graph-scroll">
        <svg
          className="impact-graph"
          role="group"
          aria-label={t('cmdb.graph.label', { count: impact.nodes.length })}
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
        >
          <defs>
            <marker
              id={marker}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" className="graph-arrow" />
            </marker>
          </defs>
          <g>
            {layout.edges.map((e) => (
              <g key={`${e.fromId}|${e.type}|${e.toId}`} className="graph-edge">
                <path d={e.path} markerEnd={`url(#${marker})`} />
                <text x={e.labelX} y={e.labelY - 4} textAnchor="middle">
                  {relationshipLabel(t, e.type)}
                </text>
              </g>
            ))}
          </g>
          <g>
            {layout.nodes.map((n) =>
              (n as PlacedNode & FoldedNode).group ? (
                <GroupNode
                  key={n.id}
                  node={n as PlacedNode & FoldedNode}
                  kind={noun(n.classKey, 2)}
                  onOpen={open}
                />
              ) : (
                <a
                  key={n.id}
                  href={itemPath(n.id)}
                  className={n.isRoot ? 'graph-node is-root' : 'graph-node'}
                  data-node-id={n.id}
                  aria-label={n.isRoot ? t('cmdb.graph.thisItem', { name: n.name }) : n.name}
                  onClick={(ev) => {
                    if (ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
                    ev.preventDefault();
                    void navigate(itemPath(n.id));
                  }}
                >
                  <title>{`${n.name} · ${classNames.get(n.classKey) ?? n.classKey}`}</title>
                  <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={7} />
                  <text x={n.x + 10} y={n.y + 18} className="graph-name">
                    {clip(n.name)}
                  </text>
                  <text x={n.x + 10} y={n.y + 34} className="graph-class">
                    {clip(classNames.get(n.classKey) ?? n.classKey, 28)}
                  </text>
                </a>
              ),
            )}
          </g>
        </svg>
      </div>
    </div>
  );
}

/** A folded group drawn as a box that opens the next page of its members (a button, by mouse, touch or keys). */
function GroupNode({
  node,
  kind,
  onOpen,
}: {
  node: PlacedNode & FoldedNode;
  kind: string;
  onOpen: (key: string) => void;
}) {
  const t = useT();
  const g = node.group!;
  const more = g.hidden < g.total;
  const next = Math.min(GROUP_PAGE, g.hidden);
  const label = t('cmdb.graph.showMore', { name: node.name, count: next });
  return (
    <g
      role="button"
      tabIndex={0}
      className="graph-node is-group"
      aria-label={label}
      data-group={g.key}
      onClick={() => onOpen(g.key)}
      onKeyDown={(ev) => {
        if (ev.key !== 'Enter' && ev.key !== ' ') return;
        ev.preventDefault();
        onOpen(g.key);
      }}
    >
      <title>{label}</title>
      <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={7} />
      <text x={node.x + 10} y={node.y + 18} className="graph-name">
        {t(more ? 'cmdb.graph.boxMore' : 'cmdb.graph.box', { hidden: g.hidden, count: next })}
      </text>
      <text x={node.x + 10} y={node.y + 34} className="graph-class">
        {clip(kind, 28)}
      </text>
    </g>
  );
}
