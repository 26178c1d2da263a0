import { Link } from 'react-router-dom';
import { Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../../ui';
import { useT } from '../../../i18n';
import { useBrowsableDevices } from './api';

/** The devices whose backups the signed-in person may browse: IT sees every device, others their own. */
export function DevicesPage() {
  const t = useT();
  const devices = useBrowsableDevices();
  const list = devices.data?.devices ?? [];
  return (
    <>
      <PageHeader title={t('backup.browse.title')} description={t('backup.browse.about')} />
      <Panel padded={false}>
        {devices.isPending ? (
          <Loading />
        ) : devices.isError ? (
          <div className="panel-body">
            <ErrorAlert error={devices.error} title={t('backup.browse.devicesNotLoaded')} />
          </div>
        ) : list.length === 0 ? (
          <Empty>{t('backup.browse.noDevices')}</Empty>
        ) : (
          <ul className="browse-devices" aria-label={t('backup.browse.devices')}>
            {list.map((d) => (
              <li key={d.id}>
                {d.hasRepository ? (
                  <Link to={`/backups/browse/${d.id}`}>{d.name}</Link>
                ) : (
                  <span>
                    {d.name} <span className="muted">— {t('backup.browse.notYet')}</span>
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
