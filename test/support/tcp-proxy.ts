import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL, Steward), to make it unreachable and back in a
 * test: {@link stop} closes the port and cuts every open connection, as a database restart or crash does. With
 * `bytesPerSecond` it passes at most that much per connection towards the client (a slow link).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private listenPort = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly opts: { bytesPerSecond?: number } = {},
  ) {}

  /** The port it listens on (the same one after a restart). */
  get port(): number {
    return this.listenPort;
  }

  /** Listens (again, on the same port once it has one) and forwards each connection to the target. */
  async start(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      const rate = this.opts.bytesPerSecond;
      if (!rate) upstream.pipe(client);
      else {
        upstream.on('data', (chunk: Buffer) => {
          upstream.pause();
          client.write(chunk);
          setTimeout(() => upstream.resume(), (chunk.length / rate) * 1000);
        });
        upstream.on('end', () => client.end());
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    if (typeof addr === 'object' && addr) this.listenPort = addr.port;
    this.server = server;
    return this.listenPort;
  }

  /** Refuses new connections and resets the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
