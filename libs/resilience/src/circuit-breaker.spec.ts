import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';

class Unavailable extends Error {}

function recordingLogger() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
}

const fail = () => Promise.reject(new Unavailable('no answer'));
const succeed = () => Promise.resolve('ok');
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function breaker(logger = recordingLogger()) {
  return new CircuitBreaker({
    name: 'TynTec',
    isFailure: (error) => error instanceof Unavailable,
    failuresToOpen: 3,
    halfOpenAfterMs: 50,
    logger,
  });
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and a success starts the count again', async () => {
    const circuit = breaker();
    await circuit.execute(fail).catch(() => undefined);
    await circuit.execute(fail).catch(() => undefined);
    await circuit.execute(succeed);
    await circuit.execute(fail).catch(() => undefined);
    await circuit.execute(fail).catch(() => undefined);
    expect(circuit.state).toBe('closed');
  });

  it('opens after the failures in a row, then fails fast without calling, with a clear error and a log line', async () => {
    const logger = recordingLogger();
    const circuit = breaker(logger);
    for (let call = 0; call < 3; call += 1)
      await expect(circuit.execute(fail)).rejects.toBeInstanceOf(Unavailable);
    expect(circuit.state).toBe('open');
    let called = false;
    const error = await circuit
      .execute(() => {
        called = true;
        return succeed();
      })
      .catch((caught: unknown) => caught);
    expect(called).toBe(false);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as Error).message).toMatch(
      /TynTec is not called: its circuit is open after 3 failures in a row/,
    );
    expect(logger.lines).toEqual([
      expect.stringMatching(/^TynTec circuit opened after 3 failures in a row: no answer/),
    ]);
  });

  it('does not count failures that isFailure refuses (a refused request says nothing of the service)', async () => {
    const circuit = breaker();
    for (let call = 0; call < 5; call += 1)
      await circuit.execute(() => Promise.reject(new Error('400 bad request'))).catch(() => undefined);
    expect(circuit.state).toBe('closed');
  });

  it('lets one probe through after the pause: a success closes the circuit', async () => {
    const logger = recordingLogger();
    const circuit = breaker(logger);
    for (let call = 0; call < 3; call += 1) await circuit.execute(fail).catch(() => undefined);
    await wait(60);
    await expect(circuit.execute(succeed)).resolves.toBe('ok');
    expect(circuit.state).toBe('closed');
    expect(logger.lines.slice(1)).toEqual([
      'TynTec circuit half-open: one probe call goes through',
      'TynTec circuit closed: calls go through again',
    ]);
  });

  it('opens again when the probe fails, and fails fast meanwhile', async () => {
    const circuit = breaker();
    for (let call = 0; call < 3; call += 1) await circuit.execute(fail).catch(() => undefined);
    await wait(60);
    await expect(circuit.execute(fail)).rejects.toBeInstanceOf(Unavailable);
    expect(circuit.state).toBe('open');
    await expect(circuit.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('holds other calls while the probe is out: they go through once it closed the circuit', async () => {
    const circuit = breaker();
    for (let call = 0; call < 3; call += 1) await circuit.execute(fail).catch(() => undefined);
    await wait(60);
    let otherCalled = false;
    const probe = circuit.execute(() => wait(20).then(succeed));
    expect(circuit.state).toBe('half-open');
    const other = circuit.execute(() => {
      otherCalled = true;
      return succeed();
    });
    await wait(5);
    expect(otherCalled).toBe(false);
    await expect(probe).resolves.toBe('ok');
    await expect(other).resolves.toBe('ok');
  });

  it('fails the held calls fast when the probe fails', async () => {
    const circuit = breaker();
    for (let call = 0; call < 3; call += 1) await circuit.execute(fail).catch(() => undefined);
    await wait(60);
    const probe = circuit.execute(() => wait(20).then(fail));
    const other = circuit.execute(succeed);
    await expect(probe).rejects.toBeInstanceOf(Unavailable);
    await expect(other).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
