/** One sample of the Prometheus text exposition format: `name{label="value",…} number`. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses Prometheus text (version 0.0.4): every sample, comments skipped. Throws on a line that is
 * not a sample, naming it, so a test that scrapes `/metrics` also checks the format.
 */
export function parseExposition(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const [, name, labelText = '', valueText] = match;
    const labels: Record<string, string> = {};
    for (const [, label, value] of labelText.matchAll(labelPair))
      labels[label] = value.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    const value = /^[Nn]a[Nn]$/.test(valueText)
      ? Number.NaN
      : Number(valueText.replace(/^([+-]?)Inf$/, '$1Infinity'));
    if (Number.isNaN(value) && !/^[Nn]a[Nn]$/.test(valueText))
      throw new Error(`not a Prometheus sample value: ${line}`);
    samples.push({ name, labels, value });
  }
  return samples;
}

/** The value of the sample named `name` whose labels include `labels`, or undefined. */
export function sampleValue(
  samples: readonly MetricSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samples.find(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}
