import { describe, expect, it } from 'vitest';
import { createProgress, fitToWidth, statusLine } from '../../../src/core/progress';

/** The progress line: on a terminal only, NO_COLOR honoured, throttled, cut to the width, cleared at the end. */
class FakeStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 80,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

describe('progress', () => {
  it('writes nothing when stderr is not a terminal, or the terminal is dumb', () => {
    for (const [stream, env] of [
      [new FakeStream(false), {}],
      [new FakeStream(true), { TERM: 'dumb' }],
    ] as const) {
      const p = createProgress('synth', 3, { stream, env });
      p.step('a');
      p.step('b');
      p.done();
      expect(p.enabled).toBe(false);
      expect(stream.chunks).toEqual([]);
    }
  });

  it('redraws one line in place on a terminal, with colour, and clears it when done', () => {
    const stream = new FakeStream(true);
    const c = clock();
    const p = createProgress('synth', 2, { stream, env: {}, now: c.now });
    p.step('kernelcore');
    c.advance(100);
    p.step('june-platform');
    p.done();
    expect(stream.chunks).toHaveLength(3);
    expect(stream.chunks[0].startsWith('\r\x1b[K')).toBe(true);
    expect(stream.chunks[0]).toContain('1/2 kernelcore');
    expect(stream.chunks[0]).toMatch(/\x1b\[1msynth\x1b\[0m/);
    expect(stream.chunks[1]).toContain('2/2 june-platform');
    expect(stream.chunks[2]).toBe('\r\x1b[K');
    expect(stream.text).not.toContain('\n');
  });

  it('honours NO_COLOR: no colour codes, the same text', () => {
    const stream = new FakeStream(true);
    const p = createProgress('import', undefined, { stream, env: { NO_COLOR: '1' } });
    p.step('web-1');
    expect(stream.chunks[0]).toBe('\r\x1b[Kimport 1 web-1');
    // An empty NO_COLOR does not count (no-color.org).
    const coloured = new FakeStream(true);
    createProgress('import', undefined, { stream: coloured, env: { NO_COLOR: '' } }).step('x');
    expect(coloured.chunks[0]).toContain('\x1b[1m');
  });

  it('throttles redraws but always draws the last step', () => {
    const stream = new FakeStream(true);
    const c = clock();
    const p = createProgress('plan', 100, { stream, env: {}, now: c.now, intervalMs: 80 });
    for (let i = 0; i < 100; i++) {
      p.step(`commit ${i}`);
      c.advance(10);
    }
    // 1000 ms of work at one redraw per 80 ms, plus the final step.
    expect(stream.chunks.length).toBeGreaterThanOrEqual(12);
    expect(stream.chunks.length).toBeLessThanOrEqual(15);
    expect(stream.chunks.at(-1)).toContain('100/100 commit 99');
  });

  it('never writes a line wider than the terminal (a wrapped line cannot be redrawn)', () => {
    const stream = new FakeStream(true, 30);
    createProgress('synth', 3, { stream, env: { NO_COLOR: '1' } }).step('a-very-long-stack-name-indeed');
    expect(stream.chunks[0].replace('\r\x1b[K', '')).toHaveLength(29);
    const coloured = statusLine('synth', 1, 2, 'x'.repeat(50), true);
    const visible = fitToWidth(coloured, 40).replace(/\x1b\[[0-9;]*m/g, '');
    expect(visible).toHaveLength(39);
    expect(statusLine('synth', 1, 2, 'k', false)).toBe(`synth ${'█'.repeat(10)}${'░'.repeat(10)} 1/2 k`);
  });
});
