// Reads the .cpuprofile files that `node --cpu-prof` wrote (CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile)
// and names the functions with the most self time, per process.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly selfMs: number;
  /** Of all the samples of the process, idle included. */
  readonly share: number;
}

/** The top `count` functions by self time of one profile; "(idle)" and "(program)" are kept, as they say much. */
export function summarizeProfile(profile: CpuProfile, root: string, count = 15): ProfileEntry[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    const where = frame.url
      ? ` ${relative(root, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    selfMicros.set(name, (selfMicros.get(name) ?? 0) + delta);
  });
  return [...selfMicros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ name, selfMs: micros / 1000, share: total > 0 ? micros / total : 0 }));
}

/** Per named process (its pid when it stopped), the top functions of its profile in `directory`. */
export function topFunctions(
  directory: string,
  pids: Record<string, number>,
  root: string,
): Record<string, ProfileEntry[]> {
  if (!existsSync(directory)) return {};
  const files = readdirSync(directory).filter((file) => file.endsWith('.cpuprofile'));
  const result: Record<string, ProfileEntry[]> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const file = files.find((candidate) => candidate.split('.')[3] === String(pid));
    if (!file) continue;
    const profile = JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
    result[name] = summarizeProfile(profile, root);
  }
  return result;
}
