import type { SimulationOutput } from './simulate';

export async function writeReport(output: SimulationOutput): Promise<string> {
  return `<pre>${JSON.stringify(output.policies.map((p) => p.funnel))}</pre>`;
}
