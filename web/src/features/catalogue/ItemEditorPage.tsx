import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { ApprovalLevelDef, CatalogueItem, ItemAudience, Role, SlaPolicy, TaskDef } from '@contracts';
import { api, ApiError } from '../../api/client';
import {
  Button,
  CheckboxField,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextAreaField,
  TextField,
} from '../../ui';
import { useAllTeams } from '../teams/api';
import { useItem, useSaveItem } from './api';
import { draftsOf, fieldOf, FormBuilder, type FieldDraft } from './FormBuilder';
import { RULE_KEY } from './labels';
import { useT } from '../../i18n';
import './catalogue.css';

const ROLES: Role[] = ['requester', 'agent', 'manager', 'admin'];
type Level =
  | { kind: 'manager' }
  | { kind: 'team'; teamId: string; rule: 'any' | 'all' | 'majority' | 'at_least'; count: string };

/** The server's messages by path without the leading `body.` (`fields.0.key`, `tasks.1.teamId`). */
function pathErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError)
    for (const e of error.errors) out[e.path.replace(/^body\./, '')] ??= e.message;
  return out;
}

/** The item editor: what it is, who may request it, its SLA, its form, approval levels and tasks. */
function ItemEditor({ item, etag }: { item: CatalogueItem | undefined; etag: string | null }) {
  const t = useT();
  const navigate = useNavigate();
  const save = useSaveItem(item?.id);
  const teams = useAllTeams().data ?? [];
  const slas = useQuery({
    queryKey: ['sla', 'policies'],
    queryFn: ({ signal }) => api.get<{ items: SlaPolicy[] }>('/api/v1/sla/policies', undefined, signal),
  }).data?.items;
  const [name, setName] = useState(item?.name ?? '');
  const [category, setCategory] = useState(item?.category ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const [active, setActive] = useState(item?.active ?? true);
  const [audience, setAudience] = useState<ItemAudience>(item?.audience ?? 'everyone');
  const [roles, setRoles] = useState<Role[]>(item?.roles ?? []);
  const [teamIds, setTeamIds] = useState<string[]>(item?.teamIds ?? []);
  const [sla, setSla] = useState(item?.slaPolicyId ?? '');
  const [fields, setFields] = useState<FieldDraft[]>(draftsOf(item?.fields ?? []));
  const [levels, setLevels] = useState<Level[]>(
    (item?.approvals ?? []).map((a) =>
      a.kind === 'manager'
        ? { kind: 'manager' }
        : { kind: 'team', teamId: a.teamId ?? '', rule: a.rule ?? 'any', count: String(a.count ?? '') },
    ),
  );
  const [tasks, setTasks] = useState<TaskDef[]>(
    (item?.tasks ?? []).map(({ title, teamId }) => ({ title, teamId })),
  );
  const errors = pathErrors(save.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const approvals: ApprovalLevelDef[] = levels.map((l) =>
      l.kind === 'manager'
        ? l
        : {
            kind: 'team',
            teamId: l.teamId,
            rule: l.rule,
            ...(l.rule === 'at_least' ? { count: Number(l.count) } : {}),
          },
    );
    save.mutate(
      {
        item: {
          name,
          category,
          description,
          active,
          audience,
          ...(audience === 'roles' ? { roles } : {}),
          ...(audience === 'teams' ? { teamIds } : {}),
          slaPolicyId: sla || null,
          fields: fields.map(fieldOf),
          approvals,
          tasks,
        },
        etag,
      },
      {
        onSuccess: () =>
          void navigate('/catalogue/admin', { state: { notice: t('catalogue.admin.saved', { name }) } }),
      },
    );
  };
  const teamOptions = (
    <>
      <option value="">{t('catalogue.admin.chooseTeam')}</option>
      {teams.map((x) => (
        <option key={x.id} value={x.id}>
          {x.name}
        </option>
      ))}
    </>
  );
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={t('catalogue.admin.item')}>
      <FormError error={save.error} title={t('catalogue.admin.saveFailed')} />
      <TextField
        label={t('common.name')}
        required
        value={name}
        error={errors.name}
        onChange={(e) => setName(e.target.value)}
      />
      <TextField
        label={t('catalogue.admin.category')}
        value={category}
        onChange={(e) => setCategory(e.target.value)}
      />
      <TextAreaField
        label={t('catalogue.admin.description')}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <CheckboxField
        label={t('catalogue.admin.active')}
        checked={active}
        onChange={(e) => setActive(e.target.checked)}
      />
      <SelectField
        label={t('catalogue.admin.audience')}
        value={audience}
        onChange={(e) => setAudience(e.target.value as ItemAudience)}
      >
        <option value="everyone">{t('catalogue.audience.everyone')}</option>
        <option value="roles">{t('catalogue.audience.roles')}</option>
        <option value="teams">{t('catalogue.audience.teams')}</option>
      </SelectField>
      {audience === 'roles' &&
        ROLES.map((r) => (
          <CheckboxField
            key={r}
            label={t(`role.${r}`)}
            checked={roles.includes(r)}
            onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />
        ))}
      {audience === 'teams' &&
        teams.map((x) => (
          <CheckboxField
            key={x.id}
            label={x.name}
            checked={teamIds.includes(x.id)}
            onChange={(e) =>
              setTeamIds(e.target.checked ? [...teamIds, x.id] : teamIds.filter((y) => y !== x.id))
            }
          />
        ))}
      {(errors.roles ?? errors.teamIds) && <p className="field-error">{errors.roles ?? errors.teamIds}</p>}
      <SelectField
        label={t('catalogue.admin.sla')}
        value={sla}
        error={errors.slaPolicyId}
        onChange={(e) => setSla(e.target.value)}
      >
        <option value="">{t('catalogue.admin.slaByType')}</option>
        {(slas ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <FormBuilder value={fields} onChange={setFields} errors={errors} />
      <fieldset className="field">
        <legend className="field-label">{t('catalogue.admin.approvals')}</legend>
        {levels.map((l, i) => (
          <div
            key={i}
            className="catalogue-builder-row"
            role="group"
            aria-label={t('catalogue.admin.level', { n: i + 1 })}
          >
            {l.kind === 'manager' ? (
              <p>{t('catalogue.yourManager')}</p>
            ) : (
              <>
                <SelectField
                  label={t('catalogue.admin.team')}
                  value={l.teamId}
                  error={errors[`approvals.${i}.teamId`]}
                  onChange={(e) =>
                    setLevels(levels.map((x, j) => (j === i ? { ...l, teamId: e.target.value } : x)))
                  }
                >
                  {teamOptions}
                </SelectField>
                <SelectField
                  label={t('catalogue.admin.rule')}
                  value={l.rule}
                  onChange={(e) =>
                    setLevels(
                      levels.map((x, j) => (j === i ? { ...l, rule: e.target.value as typeof l.rule } : x)),
                    )
                  }
                >
                  {(['any', 'all', 'majority', 'at_least'] as const).map((r) => (
                    <option key={r} value={r}>
                      {t(RULE_KEY[r], { count: 'N' })}
                    </option>
                  ))}
                </SelectField>
                {l.rule === 'at_least' && (
                  <TextField
                    label={t('catalogue.admin.count')}
                    type="number"
                    min={1}
                    value={l.count}
                    error={errors[`approvals.${i}.count`]}
                    onChange={(e) =>
                      setLevels(levels.map((x, j) => (j === i ? { ...l, count: e.target.value } : x)))
                    }
                  />
                )}
              </>
            )}
            <Button size="sm" variant="ghost" onClick={() => setLevels(levels.filter((_, j) => j !== i))}>
              {t('catalogue.builder.remove')}
            </Button>
          </div>
        ))}
        <div className="form-actions">
          <Button onClick={() => setLevels([...levels, { kind: 'manager' }])}>
            {t('catalogue.admin.addManager')}
          </Button>
          <Button
            onClick={() => setLevels([...levels, { kind: 'team', teamId: '', rule: 'any', count: '' }])}
          >
            {t('catalogue.admin.addTeamLevel')}
          </Button>
        </div>
      </fieldset>
      <fieldset className="field">
        <legend className="field-label">{t('catalogue.admin.tasks')}</legend>
        {tasks.map((x, i) => (
          <div
            key={i}
            className="catalogue-builder-row"
            role="group"
            aria-label={t('catalogue.admin.task', { n: i + 1 })}
          >
            <TextField
              label={t('catalogue.admin.taskTitle')}
              value={x.title}
              error={errors[`tasks.${i}.title`]}
              onChange={(e) => setTasks(tasks.map((y, j) => (j === i ? { ...x, title: e.target.value } : y)))}
            />
            <SelectField
              label={t('catalogue.admin.team')}
              value={x.teamId}
              error={errors[`tasks.${i}.teamId`]}
              onChange={(e) =>
                setTasks(tasks.map((y, j) => (j === i ? { ...x, teamId: e.target.value } : y)))
              }
            >
              {teamOptions}
            </SelectField>
            <Button size="sm" variant="ghost" onClick={() => setTasks(tasks.filter((_, j) => j !== i))}>
              {t('catalogue.builder.remove')}
            </Button>
          </div>
        ))}
        <Button onClick={() => setTasks([...tasks, { title: '', teamId: '' }])}>
          {t('catalogue.admin.addTask')}
        </Button>
      </fieldset>
      <FormActions submit={t('catalogue.admin.save')} busy={save.isPending} cancelTo="/catalogue/admin" />
    </form>
  );
}

/** A new item (`/catalogue/admin/new`) or an existing one (`/catalogue/admin/:id`). */
export function ItemEditorPage() {
  const t = useT();
  const { id } = useParams();
  const existing = useItem(id);
  if (id !== undefined && existing.isPending) return <Loading />;
  if (existing.error) return <ErrorAlert error={existing.error} />;
  const item = existing.data?.data;
  return (
    <>
      <PageHeader
        title={item ? item.name : t('catalogue.admin.new')}
        back={{ to: '/catalogue/admin', label: t('catalogue.admin.title') }}
      />
      <Panel>
        <ItemEditor key={item?.version ?? 'new'} item={item} etag={existing.data?.etag ?? null} />
      </Panel>
    </>
  );
}
