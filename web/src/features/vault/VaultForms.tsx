import { useState } from 'react';
import type { User, Team, VaultEntry } from '@contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../api/client';
import { Alert, Button, CheckboxField, ErrorAlert, SelectField, TextField } from '../../ui';
import { useGenerate, useSetSecret, useShares, useVaultSettings } from './api';

/** A new version: a password typed or generated on the server (with a policy), a login name, a reason. */
export function NewVersionForm({ entry }: { entry: VaultEntry }) {
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
      aria-label={entry.hasSecret ? 'Rotate the secret' : 'Set the secret'}
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
      <ErrorAlert error={set.error ?? generate.error} title="The secret was not saved" />
      {saved && <Alert tone="success">A new version was saved.</Alert>}
      <TextField
        label="Login name"
        value={username}
        maxLength={200}
        onChange={(e) => setUsername(e.target.value)}
      />
      <TextField
        label="New password"
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
          label="Length"
          type="number"
          min={8}
          max={128}
          value={length}
          onChange={(e) => setLength(e.target.value)}
        />
        <CheckboxField label="Symbols" checked={symbols} onChange={(e) => setSymbols(e.target.checked)} />
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
          Generate
        </Button>
      </div>
      <TextField
        label="Reason for the change"
        value={reason}
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
      />
      <div>
        <Button type="submit" variant="primary" busy={set.isPending}>
          {entry.hasSecret ? 'Save new version' : 'Save secret'}
        </Button>
      </div>
    </form>
  );
}

/** Rotation: every how many days, and whether a reveal makes it due at once. */
export function RotationForm({ entry }: { entry: VaultEntry }) {
  const [days, setDays] = useState(entry.rotationDays?.toString() ?? '');
  const [after, setAfter] = useState(entry.rotateAfterReveal);
  const save = useVaultSettings(entry.ciId);
  return (
    <form
      className="inline-form"
      aria-label="Rotation"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ rotationDays: days === '' ? null : Number(days), rotateAfterReveal: after });
      }}
    >
      <ErrorAlert error={save.error} title="Rotation was not saved" />
      <TextField
        label="Rotate every (days)"
        type="number"
        min={1}
        max={3650}
        value={days}
        onChange={(e) => setDays(e.target.value)}
      />
      <CheckboxField
        label="Rotate after each reveal"
        checked={after}
        onChange={(e) => setAfter(e.target.checked)}
      />
      <Button type="submit" size="sm" busy={save.isPending}>
        Save rotation
      </Button>
    </form>
  );
}

/** Who may reveal (and manage): the current list, removable, and a person or team to add. */
export function SharesEditor({ entry }: { entry: VaultEntry }) {
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
      <ErrorAlert error={share.error} title="Sharing was not changed" />
      <ul className="vault-list">
        {entry.shares.map((s, i) => (
          <li key={s.userId ?? s.teamId}>
            {s.name} ({s.level === 'manage' ? 'reveals and manages' : 'reveals'}){' '}
            <Button size="sm" variant="ghost" onClick={() => save(current.filter((_, j) => j !== i))}>
              Remove {s.name}
            </Button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        aria-label="Share"
        onSubmit={(e) => {
          e.preventDefault();
          const [kind, id] = pick.split(':');
          if (!id) return;
          const rest = current.filter((s) => ('userId' in s ? s.userId : s.teamId) !== id);
          save([...rest, kind === 'team' ? { teamId: id, level } : { userId: id, level }]);
          setPick('');
        }}
      >
        <SelectField label="Share with" value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">Choose a person or team…</option>
          {people.data?.teams.map((t) => (
            <option key={t.id} value={`team:${t.id}`}>
              Team: {t.name}
            </option>
          ))}
          {people.data?.users.map((u) => (
            <option key={u.id} value={`user:${u.id}`}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="May"
          value={level}
          onChange={(e) => setLevel(e.target.value as 'reveal' | 'manage')}
        >
          <option value="reveal">Reveal</option>
          <option value="manage">Reveal and manage</option>
        </SelectField>
        <Button type="submit" size="sm" busy={share.isPending}>
          Share
        </Button>
      </form>
    </div>
  );
}
