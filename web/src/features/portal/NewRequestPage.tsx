import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { TicketType } from '@contracts';
import {
  CheckboxField,
  FormActions,
  FormError,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  useFieldErrors,
} from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { useCreateTicket } from '../tickets/api';
import { CategoryOptions } from '../tickets/parts';
import { useMyDevices } from './api';

/** "How many people are affected?" in words, as impact 1–5. */
const IMPACT: [number, string][] = [
  [1, 'Just me'],
  [3, 'My team or several people'],
  [5, 'Many people or everyone'],
];
/** "How urgent is it?" in words, as urgency 1–5. */
const URGENCY: [number, string][] = [
  [1, 'It can wait'],
  [3, 'Soon, it slows my work'],
  [5, 'Now, I cannot work'],
];

/** The portal's short form: what kind of help, a title, a Markdown description, a category, and how bad. */
export function NewRequestPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const create = useCreateTicket();
  const [type, setType] = useState<TicketType>(params.get('type') === 'request' ? 'request' : 'incident');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [impact, setImpact] = useState('1');
  const [urgency, setUrgency] = useState('3');
  const [ciIds, setCiIds] = useState<string[]>([]);
  const devices = useMyDevices();
  // a field's message goes away once the person changes the field
  const { bind, errors, touch, summary } = useFieldErrors(create.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        type,
        title,
        description,
        impact: Number(impact),
        urgency: Number(urgency),
        ...(categoryId === '' ? {} : { categoryId }),
        ...(ciIds.length === 0 ? {} : { ciIds }),
      },
      {
        onSuccess: (t) =>
          void navigate(`/portal/tickets/${t.id}`, {
            state: { notice: `Thank you. Your ticket ${t.key} was opened.` },
          }),
      },
    );
  };

  return (
    <>
      <PageHeader
        title={type === 'request' ? 'Request something' : 'Report a problem'}
        back={{ to: '/portal', label: 'Help & requests' }}
      />
      <Panel>
        <form className="form" onSubmit={onSubmit} noValidate aria-label="New ticket">
          <FormError error={summary} title="Your ticket was not sent" />
          <fieldset className="choice-cards">
            <legend className="field-label">What do you need?</legend>
            <label>
              <input
                type="radio"
                name="type"
                checked={type === 'incident'}
                onChange={() => setType('incident')}
              />
              <span>
                <strong>Something is broken</strong>
                <span className="muted">It used to work and now it does not.</span>
              </span>
            </label>
            <label>
              <input
                type="radio"
                name="type"
                checked={type === 'request'}
                onChange={() => setType('request')}
              />
              <span>
                <strong>I need something</strong>
                <span className="muted">Access, equipment, software or information.</span>
              </span>
            </label>
          </fieldset>
          <TextField
            label="Title"
            hint="One line that sums it up."
            required
            maxLength={200}
            {...bind('title', title, setTitle)}
          />
          <MarkdownField
            label="Description"
            hint="What happened, what you expected, and any error message. Markdown is supported."
            value={description}
            onChange={(v) => {
              setDescription(v);
              touch('description');
            }}
            error={errors.description}
            rows={8}
          />
          <SelectField label="Category" {...bind('categoryId', categoryId, setCategoryId)}>
            <option value="">I don’t know</option>
            <CategoryOptions />
          </SelectField>
          {devices.length > 0 && (
            <fieldset className="checks">
              <legend className="field-label">Which of your devices is it about?</legend>
              {devices.map((d) => (
                <CheckboxField
                  key={d.id}
                  label={d.assetTag ? `${d.name} (${d.assetTag})` : d.name}
                  checked={ciIds.includes(d.id)}
                  onChange={(e) =>
                    setCiIds((ids) => (e.target.checked ? [...ids, d.id] : ids.filter((x) => x !== d.id)))
                  }
                />
              ))}
            </fieldset>
          )}
          <div className="form-row">
            <SelectField label="How many people are affected?" {...bind('impact', impact, setImpact)}>
              {IMPACT.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </SelectField>
            <SelectField label="How urgent is it?" {...bind('urgency', urgency, setUrgency)}>
              {URGENCY.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </SelectField>
          </div>
          <FormActions submit="Send" busy={create.isPending} cancelTo="/portal" />
        </form>
      </Panel>
    </>
  );
}
