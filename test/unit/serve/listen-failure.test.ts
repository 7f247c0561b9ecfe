import { describe, expect, it } from 'vitest';
import { GRPC_LISTENER, listenFailure, REST_LISTENER } from '../../../adapters/composition/listen-failure.ts';
import { AppError } from '../../../src/domain/errors.ts';

const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('listenFailure', () => {
  it('names the setting to change, by kind of failure', () => {
    expect(listenFailure(errno('EADDRINUSE'), REST_LISTENER, '0.0.0.0', 8086)).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('REST port 8086 on 0.0.0.0 is already in use'),
    });
    expect(listenFailure(errno('EACCES'), REST_LISTENER, '0.0.0.0', 80)).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('SVETULISTINGS_HTTP_PORT or --http-port'),
    });
    expect(listenFailure(errno('EADDRNOTAVAIL'), REST_LISTENER, '10.9.9.9', 8086)).toMatchObject({
      code: 'CONFIG_INVALID',
      message: '10.9.9.9 is not an address of this machine; set SVETULISTINGS_HTTP_HOST',
    });
  });

  it("reads grpc-js's failure from its message, and passes anything else through", () => {
    const grpc = new Error(
      'No address added out of total 1 resolved errors: [listen EADDRINUSE: address already in use]',
    );
    const explained = listenFailure(grpc, GRPC_LISTENER, '0.0.0.0', 50053);
    expect(explained).toBeInstanceOf(AppError);
    expect((explained as AppError).message).toContain('SVETULISTINGS_GRPC_PORT or --grpc-port');
    const other = new Error('something else');
    expect(listenFailure(other, GRPC_LISTENER, '0.0.0.0', 50053)).toBe(other);
  });
});
