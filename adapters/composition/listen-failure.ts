import { AppError } from '../../src/domain/errors.ts';

/** What a listener is, for the message: `REST`, and the settings of its port and host. */
export interface ListenerName {
  readonly surface: string;
  /** `SVETULISTINGS_HTTP_PORT or --http-port` */
  readonly portSetting: string;
  /** `SVETULISTINGS_HTTP_HOST` */
  readonly hostSetting: string;
}

export const REST_LISTENER: ListenerName = {
  surface: 'REST',
  portSetting: 'SVETULISTINGS_HTTP_PORT or --http-port',
  hostSetting: 'SVETULISTINGS_HTTP_HOST',
};
export const GRPC_LISTENER: ListenerName = {
  surface: 'gRPC',
  portSetting: 'SVETULISTINGS_GRPC_PORT or --grpc-port',
  hostSetting: 'SVETULISTINGS_GRPC_HOST',
};
export const METRICS_LISTENER: ListenerName = {
  surface: 'metrics',
  portSetting: 'SVETULISTINGS_METRICS_PORT or --metrics-port',
  hostSetting: 'SVETULISTINGS_METRICS_HOST',
};

/**
 * Why a listener could not bind, as a catalogue error naming the setting to change: a port already taken is a
 * precondition (exit 4: most often another `listings serve` still running), a privileged port or an address this
 * machine does not have is configuration (exit 2). Node reports these as `error.code`; grpc-js only inside its
 * message ("No address added ... errors: [listen EADDRINUSE: ...]"), so both are read.
 */
export function listenFailure(error: unknown, name: ListenerName, host: string, port: number): unknown {
  const text = error instanceof Error ? error.message : String(error);
  const code =
    (error as NodeJS.ErrnoException | undefined)?.code ?? /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL)\b/.exec(text)?.[1];
  const where = `${name.surface} port ${port} on ${host}`;
  const change = `set ${name.portSetting}`;
  switch (code) {
    case 'EADDRINUSE':
      return new AppError(
        'PRECONDITION_FAILED',
        `${where} is already in use (another listings serve?); free it or ${change}`,
        {
          cause: error,
        },
      );
    case 'EACCES':
      return new AppError('CONFIG_INVALID', `${where} needs privileges this process lacks; ${change} (1024 or above)`, {
        cause: error,
      });
    case 'EADDRNOTAVAIL':
      return new AppError('CONFIG_INVALID', `${host} is not an address of this machine; set ${name.hostSetting}`, {
        cause: error,
      });
    default:
      return error;
  }
}

/** Runs `listen`, turning a bind failure into {@link listenFailure}'s error. */
export async function listenOrExplain<T>(
  name: ListenerName,
  host: string,
  port: number,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    throw listenFailure(error, name, host, port);
  }
}
