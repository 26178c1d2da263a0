import { useState } from 'react';
import type { User, Team, VaultEntry } from '@contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../api/client';
import { useT } from '../../i18n';
import { Alert, Button, CheckboxField, ErrorAlert, SelectField, TextField } from '../../ui';
import { useGenerate, useSetSecret, useShares, useVaultSettings } from './api';

/** A new version: a password typed or generated on the server (with a policy), a login name, a reason. */
export function NewVersionForm({ entry }: { entry: VaultEntry }) {
  const t = useT();
  const [username, setUsername] = useState(entry.username ?? '');
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [length, setLength] = useState('24');
  const [symbols, setSymbols] = useState(true);
  const [saved, setSaved] = useState(false);
  const set = useSetSecret(entry.ciId);
  const generate = useGenerate();
  return (
    <form
      className="stack-sm"
      aria-label={entry.hasSecret ? t('vault.rotateSecret') : t('vault.setSecret')}
      onSubmit={(e) => {
        e.preventDefault();
        set.mutate(
          {
            username: username.trim() === '' ? null : username.trim(),
            password,
            ...(reason ? { reason } : {}),
          },
          {
            onSuccess: () => {
              setPassword('');
              setReason('');
              setSaved(true);
            },
          },
        );
      }}
    >
      <ErrorAlert error={set.error ?? generate.error} title={t('vault.saveFailed')} />
      {saved && <Alert tone="success">{t('vault.versionSaved')}</Alert>}
      <TextField
        label={t('vault.loginName')}
        value={username}
        maxLength={200}
        onChange={(e) => setUsername(e.target.value)}
      />
      <TextField
        label={t('vault.newPassword')}
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => {
          setSaved(false);
          setPassword(e.target.value);
        }}
      />
      <div className="inline-form">
        <TextField
          label={t('vault.length')}
          type="number"
          min={8}
          max={128}
          value={length}
          onChange={(e) => setLength(e.target.value)}
        />
        <CheckboxField
          label={t('vault.symbols')}
          checked={symbols}
          onChange={(e) => setSymbols(e.target.checked)}
        />
        <Button
          size="sm"
          busy={generate.isPending}
          onClick={() =>
            generate.mutate(
              { length: Number(length), symbols },
              { onSuccess: (g) => setPassword(g.password) },
            )
          }
        >
          {t('vault.generate')}
        </Button>
      </div>
      <TextField
        label={t('vault.changeReason')}
        value={reason}
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
      />
      <div>
        <Button type="submit" variant="primary" busy={set.isPending}>
          {entry.hasSecret ? t('vault.saveNewVersion') : t('vault.saveSecret')}
        </Button>
      </div>
    </form>
  );
}

/** Rotation: every how many days, and whether a reveal makes it due at once. */
export function RotationForm({ entry }: { entry: VaultEntry }) {
  const t = useT();
  const [days, setDays] = useState(entry.rotationDays?.toString() ?? '');
  const [after, setAfter] = useState(entry.rotateAfterReveal);
  const save = useVaultSettings(entry.ciId);
  return (
    <form
      className="inline-form"
      aria-label={t('vault.rotation')}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ rotationDays: days === '' ? null : Number(days), rotateAfterReveal: after });
      }}
    >
      <ErrorAlert error={save.error} title={t('vault.rotationSaveFailed')} />
      <TextField
        label={t('vault.rotationDays')}
        type="number"
        min={1}
        max={3650}
        value={days}
        onChange={(e) => setDays(e.target.value)}
      />
      <CheckboxField
        label={t('vault.rotateAfterReveal')}
        checked={after}
        onChange={(e) => setAfter(e.target.checked)}
      />
      <Button type="submit" size="sm" busy={save.isPending}>
        {t('vault.saveRotation')}
      </Button>
    </form>
  );
}

/** Who may reveal (and manage): the current list, removable, and a person or team to add. */
export function SharesEditor({ entry }: { entry: VaultEntry }) {
  const t = useT();
  const [pick, setPick] = useState('');
  const [level, setLevel] = useState<'reveal' | 'manage'>('reveal');
  const share = useShares(entry.ciId);
  const people = useQuery({
    queryKey: ['vault', 'share-candidates'],
    queryFn: async ({ signal }) => ({
      users: (await api.get<Page<User>>('/api/v1/users', { limit: 200, active: true }, signal)).items,
      teams: (await api.get<Page<Team>>('/api/v1/teams', { limit: 200 }, signal)).items,
    }),
  });
  const current = entry.shares.map((s) =>
    s.userId ? { userId: s.userId, level: s.level } : { teamId: s.teamId!, level: s.level },
  );
  const save = (shares: typeof current) => share.mutate({ shares });
  return (
    <div className="stack-sm">
      <ErrorAlert error={share.error} title={t('vault.shareFailed')} />
      <ul className="vault-list">
        {entry.shares.map((s, i) => (
          <li key={s.userId ?? s.teamId}>
            {s.level === 'manage'
              ? t('vault.shareManages', { name: s.name })
              : t('vault.shareReveals', { name: s.name })}{' '}
            <Button size="sm" variant="ghost" onClick={() => save(current.filter((_, j) => j !== i))}>
              {t('vault.removeShare', { name: s.name })}
            </Button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        aria-label={t('vault.share')}
        onSubmit={(e) => {
          e.preventDefault();
          const [kind, id] = pick.split(':');
          if (!id) return;
          const rest = current.filter((s) => ('userId' in s ? s.userId : s.teamId) !== id);
          save([...rest, kind === 'team' ? { teamId: id, level } : { userId: id, level }]);
          setPick('');
        }}
      >
        <SelectField label={t('vault.shareWith')} value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">{t('vault.choosePersonOrTeam')}</option>
          {people.data?.teams.map((team) => (
            <option key={team.id} value={`team:${team.id}`}>
              {t('vault.teamOption', { name: team.name })}
            </option>
          ))}
          {people.data?.users.map((u) => (
            <option key={u.id} value={`user:${u.id}`}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('vault.may')}
          value={level}
          onChange={(e) => setLevel(e.target.value as 'reveal' | 'manage')}
        >
          <option value="reveal">{t('vault.reveal')}</option>
          <option value="manage">{t('vault.revealAndManage')}</option>
        </SelectField>
        <Button type="submit" size="sm" busy={share.isPending}>
          {t('vault.share')}
        </Button>
      </form>
    </div>
  );
}
