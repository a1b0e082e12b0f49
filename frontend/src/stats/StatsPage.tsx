import { useEffect, useMemo, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import { api, Stats } from '../api';
import { LineChart } from './LineChart';
import { Series } from './series';

const REFRESH_MS = 1000;
const ACTUATOR = [
  ['/actuator/health', 'Health'],
  ['/actuator/health/liveness', 'Liveness'],
  ['/actuator/health/readiness', 'Readiness'],
  ['/actuator/prometheus', 'Prometheus metrics'],
  ['/actuator/metrics', 'Metrics'],
  ['/api/stats', 'Raw statistics (JSON)'],
];

/** The server's statistics, live: charts of rates and people, the busiest rooms, links to Actuator. */
export function StatsPage({ signedIn }: { signedIn: boolean }) {
  const rates = useMemo(() => new Series(2, stats => [stats.messagesPerSecond, stats.deliveriesPerSecond]), []);
  const people = useMemo(() => new Series(2, stats => [stats.connections, stats.usersOnline]), []);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let timer = 0;
    let stopped = false;
    const poll = async () => {
      try {
        const sample = await api.stats();
        const now = Date.now() / 1000;
        rates.add(now, sample);
        people.add(now, sample);
        setStats(sample);
        setError('');
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
      }
      if (!stopped) {
        timer = window.setTimeout(poll, REFRESH_MS);
      }
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);

  const top = stats?.topRooms ?? [];
  const busiest = Math.max(1, ...top.map(room => room.messagesPerMinute));
  return (
    <div class="app stats-app">
      <header class="topbar">
        <h1>Parley</h1>
        <nav class="views" aria-label="Views">
          <a href="#/">{signedIn ? 'Chat' : 'Sign in'}</a>
          <a href="#/stats" aria-current="page">Statistics</a>
        </nav>
      </header>
      <main class="stats">
        <h2>Server statistics</h2>
        <p class="hint">Live from <code>/api/stats</code>, every second.</p>
        {error && <p class="error" role="alert">Statistics unavailable: {error}</p>}
        <dl class="tiles">
          <Tile label="Users online" value={stats?.usersOnline} />
          <Tile label="Connections" value={stats?.connections} />
          <Tile label="Rooms" value={stats?.rooms} />
          <Tile label="Messages stored" value={stats?.messagesStored} />
          <Tile label="Slow consumers cut off" value={stats?.slowConsumerDisconnects} />
          <Tile label="Uptime" value={stats === null ? undefined : uptime(stats.uptimeSeconds)} />
        </dl>
        <section aria-labelledby="rates-heading">
          <h3 id="rates-heading">Messages and deliveries per second</h3>
          <LineChart title="Messages and deliveries per second" data={rates.data}
                     lines={[{ label: 'messages/s', color: '#3b82f6' }, { label: 'deliveries/s', color: '#f59e0b' }]} />
        </section>
        <section aria-labelledby="people-heading">
          <h3 id="people-heading">Connections and users online</h3>
          <LineChart title="Connections and users online" data={people.data}
                     lines={[{ label: 'connections', color: '#10b981' }, { label: 'users online', color: '#a855f7' }]} />
        </section>
        <section aria-labelledby="busiest-heading">
          <h3 id="busiest-heading">Busiest rooms, messages in the last minute</h3>
          {top.length === 0
            ? <p class="hint">No public room has had messages in the last minute.</p>
            : (
              <ol class="bars">
                {top.map(room => (
                  <li key={room.room}>
                    <span class="bar-label"># {room.room}</span>
                    <span class="bar" style={{ width: `${(100 * room.messagesPerMinute) / busiest}%` }} />
                    <span class="bar-value">{room.messagesPerMinute}</span>
                  </li>
                ))}
              </ol>
            )}
        </section>
        <section aria-labelledby="actuator-heading">
          <h3 id="actuator-heading">Actuator</h3>
          <ul class="links">
            {ACTUATOR.map(([href, label]) => <li key={href}><a href={href}>{label}</a> <code>{href}</code></li>)}
          </ul>
        </section>
      </main>
    </div>
  );
}

function Tile({ label, value }: { label: string; value: number | string | undefined }) {
  return (
    <div class="tile">
      <dt>{label}</dt>
      <dd>{value === undefined ? '–' : typeof value === 'number' ? value.toLocaleString() : value}</dd>
    </div>
  );
}

function uptime(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) {
    return `${days} d ${hours} h`;
  }
  if (hours > 0) {
    return `${hours} h ${minutes} min`;
  }
  return minutes > 0 ? `${minutes} min` : `${seconds} s`;
}
