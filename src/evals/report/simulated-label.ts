/** The words every report uses for simulated results, so no format can forget them. */
export const SIMULATED_LABEL = 'SIMULATED';

export function simulatedNotice(models: readonly string[]): string {
  const which = models.length > 0 ? ` (${models.join(', ')})` : '';
  return `${SIMULATED_LABEL}: these results come from Arbiter's simulator${which}, not from real models. They say nothing about any real model.`;
}
