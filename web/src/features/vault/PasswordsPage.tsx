import { Link } from 'react-router-dom';
import { Badge, Empty, ErrorAlert, Loading, PageHeader, Panel, formatDate } from '../../ui';
import { useMyPasswords } from './api';

/** The credentials shared with me or my teams. */
export function PasswordsPage() {
  const q = useMyPasswords();
  return (
    <>
      <PageHeader title="Passwords" description="Credentials shared with you or your teams" />
      <Panel>
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="The passwords could not be loaded" />
        ) : q.data.items.length === 0 ? (
          <Empty>No credential is shared with you yet.</Empty>
        ) : (
          <table className="table" aria-label="Passwords">
            <thead>
              <tr>
                <th>Credential</th>
                <th>System</th>
                <th>Login name</th>
                <th>Rotation due</th>
                <th>You may</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((i) => (
                <tr key={i.ciId}>
                  <td>
                    <Link to={`/inventory/${i.ciId}`}>{i.name}</Link>
                  </td>
                  <td>{i.system ?? '—'}</td>
                  <td>{i.username ?? '—'}</td>
                  <td>
                    {formatDate(i.rotationDue)} {i.rotationOverdue && <Badge tone="danger">due</Badge>}
                  </td>
                  <td>{i.level === 'manage' ? 'reveal and manage' : 'reveal'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
