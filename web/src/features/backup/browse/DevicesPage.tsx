import { Link } from 'react-router-dom';
import { Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../../ui';
import { useBrowsableDevices } from './api';

/** The devices whose backups the signed-in person may browse: IT sees every device, others their own. */
export function DevicesPage() {
  const devices = useBrowsableDevices();
  const list = devices.data?.devices ?? [];
  return (
    <>
      <PageHeader
        title="Browse backups"
        description="Pick a device to see its backups, find a file in them and download it."
      />
      <Panel padded={false}>
        {devices.isPending ? (
          <Loading />
        ) : devices.isError ? (
          <div className="panel-body">
            <ErrorAlert error={devices.error} title="The devices could not be loaded" />
          </div>
        ) : list.length === 0 ? (
          <Empty>There are no backed-up devices for you to browse.</Empty>
        ) : (
          <ul className="browse-devices" aria-label="Devices">
            {list.map((d) => (
              <li key={d.id}>
                {d.hasRepository ? (
                  <Link to={`/backups/browse/${d.id}`}>{d.name}</Link>
                ) : (
                  <span>
                    {d.name} <span className="muted">— not backed up yet</span>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}
