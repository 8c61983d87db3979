/**
 * One deployment of the same simulated model per upstream wire format (OpenAI, Anthropic,
 * Gemini): the tests that prove an entrance gives the same canonical result whichever format
 * serves it all route through these three.
 */
export function deploymentsPerFormat(simUrl: string) {
  return [
    { name: 'via-openai', provider: 'openai', upstreamModel: 'sim-frontier', baseUrl: `${simUrl}/v1`, apiKey: 'sk-test-openai', catalogModel: 'sim-frontier', simulated: true },
    { name: 'via-anthropic', provider: 'anthropic', upstreamModel: 'sim-frontier', baseUrl: simUrl, apiKey: 'sk-ant-test', catalogModel: 'sim-frontier', simulated: true },
    { name: 'via-gemini', provider: 'gemini', upstreamModel: 'sim-frontier', baseUrl: simUrl, apiKey: 'AIza-test-key-000000000000', catalogModel: 'sim-frontier', simulated: true },
  ];
}
