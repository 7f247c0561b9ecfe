import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to `upstream` (`scheme://host:port`: OpenSearch, MinIO, Redis) that can go down (listener closed,
 * connections cut: clients get ECONNREFUSED) and come back on the same port, or freeze (connections stay open, nothing
 * is forwarded: a server that stops answering). The server behind it keeps running for every other test, which a
 * server-wide fault (Redis's CLIENT PAUSE, a stopped process) would not.
 */
export class TcpOutage {
  readonly #upstream: URL;
  readonly #sockets = new Set<Socket>();
  /** Each connection as [client, upstream], to stop and restart forwarding. */
  readonly #pairs = new Set<readonly [Socket, Socket]>();
  #server: Server | undefined;
  #frozen = false;
  port = 0;

  constructor(upstream: string) {
    this.#upstream = new URL(upstream);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    if (this.#server !== undefined) return;
    const server = createServer((client) => {
      const upstream = connect(Number(this.#upstream.port), this.#upstream.hostname);
      const pair = [client, upstream] as const;
      this.#pairs.add(pair);
      for (const socket of pair) {
        this.#sockets.add(socket);
        socket.on('close', () => {
          this.#sockets.delete(socket);
          this.#pairs.delete(pair);
        });
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      if (!this.#frozen) forward(pair);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops forwarding on every connection, open or new, until `thaw`; bytes sent meanwhile wait, nothing is lost. */
  freeze(): void {
    this.#frozen = true;
    for (const [client, upstream] of this.#pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  thaw(): void {
    if (!this.#frozen) return;
    this.#frozen = false;
    for (const pair of this.#pairs) forward(pair);
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

function forward([client, upstream]: readonly [Socket, Socket]): void {
  client.pipe(upstream);
  upstream.pipe(client);
}
