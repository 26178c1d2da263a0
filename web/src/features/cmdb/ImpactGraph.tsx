import { useId } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Impact } from '@contracts';
import { clip, layoutGraph } from './graphLayout';
import { relationshipVerb } from './labels';
import { itemPath } from './parts';

/**
 * The impact graph drawn in inline SVG: a box per item in columns by distance (the root highlighted), an arrow
 * per relationship with its type. Every box is a link to its item's page. The layout is graphLayout's.
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
  const navigate = useNavigate();
  const marker = `arrow-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const layout = layoutGraph(impact, twoSided);
  return (
    <div className="graph-scroll">
      <svg
        className="impact-graph"
        role="img"
        aria-label={`Impact graph of ${impact.nodes.length} items`}
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
                {relationshipVerb(e.type)}
              </text>
            </g>
          ))}
        </g>
        <g>
          {layout.nodes.map((n) => (
            <a
              key={n.id}
              href={itemPath(n.id)}
              className={n.isRoot ? 'graph-node is-root' : 'graph-node'}
              data-node-id={n.id}
              aria-label={`${n.name}${n.isRoot ? ' (this item)' : ''}`}
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
          ))}
        </g>
      </svg>
    </div>
  );
}
