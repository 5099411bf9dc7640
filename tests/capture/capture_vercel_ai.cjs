// Capture Vercel AI SDK telemetry spans against the fake server.
// Usage: node capture_vercel_ai.cjs <node_project_dir_with_node_modules> <output-name e.g. vercel_ai_v4.json>
const path = require('path');
const fs = require('fs');
const { spawn } = require('child_process');
const { createRequire } = require('module');

const projDir = path.resolve(process.argv[2]);
const outName = process.argv[3];
const req = createRequire(path.join(projDir, 'package.json'));
const ai = req('ai');
const { createOpenAI } = req('@ai-sdk/openai');
const { createAnthropic } = req('@ai-sdk/anthropic');
const { z } = req('zod');
const { NodeTracerProvider } = req('@opentelemetry/sdk-trace-node');
const { SimpleSpanProcessor, InMemorySpanExporter } = req('@opentelemetry/sdk-trace-base');

const HERE = __dirname;
const OUT_DIR = path.resolve(HERE, '..', '..', 'rust', 'enrich', 'tests', 'data', 'captured');
const aiVersion = JSON.parse(fs.readFileSync(req.resolve('ai/package.json'), 'utf8')).version;
const major = parseInt(aiVersion.split('.')[0], 10);
const pkgVer = (n) => { try { return JSON.parse(fs.readFileSync(req.resolve(n + '/package.json'), 'utf8')).version; } catch (e) { return '?'; } };

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn('python3', [path.join(HERE, 'fake_llm_server.py'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.once('data', (d) => resolve({ proc: p, url: d.toString().trim() }));
    p.once('error', reject);
  });
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
function spanToJson(s) {
  const scope = s.instrumentationScope || s.instrumentationLibrary || {};
  const d = {
    name: s.name, kind: KINDS[s.kind] || String(s.kind), scope: scope.name || null,
    status: ['UNSET', 'OK', 'ERROR'][s.status.code] || String(s.status.code),
    attributes: s.attributes,
    events: (s.events || []).map((e) => ({ name: e.name, attributes: e.attributes || {} })),
  };
  if (s.status.message) d.status_description = s.status.message;
  const parent = s.parentSpanId || (s.parentSpanContext && s.parentSpanContext.spanId);
  if (parent) d.has_parent = true;
  return d;
}

async function main() {
  const { proc, url } = await startServer();
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider();
  provider.addSpanProcessor(new SimpleSpanProcessor(exporter));
  provider.register();
  const tracer = provider.getTracer('ai');
  // ai <= 6: per-call experimental_telemetry; ai >= 7: registerTelemetry(new OpenTelemetry()) from @ai-sdk/otel
  // (AI_OTEL_LEGACY=1 -> LegacyOpenTelemetry, the ai.* attribute set) and per-call `telemetry` + runtimeContext.
  let integrationName = null;
  if (major >= 7) {
    const otel = req('@ai-sdk/otel');
    const Integ = process.env.AI_OTEL_LEGACY ? otel.LegacyOpenTelemetry : otel.OpenTelemetry;
    integrationName = process.env.AI_OTEL_LEGACY ? 'LegacyOpenTelemetry' : 'OpenTelemetry';
    ai.registerTelemetry(new Integ({ tracer }));
  }
  const telemetry = (functionId) => (major >= 7
    ? { telemetry: { functionId, includeRuntimeContext: { userId: true } }, runtimeContext: { userId: 'user-123' } }
    : { experimental_telemetry: { isEnabled: true, functionId, metadata: { userId: 'user-123' }, tracer } });

  const openaiOpts = { baseURL: url + '/v1', apiKey: 'sk-fake-key' };
  if (major === 4) openaiOpts.compatibility = 'strict'; // v4: send stream_options.include_usage
  const openai = createOpenAI(openaiOpts);
  const anthropic = createAnthropic({ baseURL: url + '/v1', apiKey: 'sk-ant-fake-key' });
  const maxKey = major >= 5 ? 'maxOutputTokens' : 'maxTokens';
  const chatModel = openai.chat ? openai.chat('gpt-4o') : openai('gpt-4o');
  const weatherTool = major >= 5
    ? ai.tool({ description: 'Get the weather for a city', inputSchema: z.object({ location: z.string() }) })
    : ai.tool({ description: 'Get the weather for a city', parameters: z.object({ location: z.string() }) });
  const log = (...a) => console.error(...a);
  const errors = [];
  const step = async (name, fn) => { log(name); try { await fn(); } catch (e) { errors.push(`${name}: ${e && e.message}`); log('  failed', e && e.message); } };

  await step('openai generateText (chat)', () => ai.generateText({
    model: chatModel, system: 'You are a helpful assistant.', prompt: 'What is the capital of France?',
    temperature: 0.7, [maxKey]: 100, topP: 1.0, ...telemetry('openai-chat'),
  }));
  await step('openai streamText (chat)', async () => {
    const r = ai.streamText({ model: chatModel, prompt: 'What is the capital of France?', ...telemetry('openai-stream') });
    for await (const _ of r.textStream) { /* drain */ }
    await r.usage;
  });
  await step('openai generateText tools (chat)', () => ai.generateText({
    model: chatModel, prompt: "What's the weather in Paris?", tools: { get_weather: weatherTool },
    ...telemetry('openai-tools'),
  }));
  await step('openai embed', () => ai.embed({
    model: (openai.textEmbeddingModel || openai.embedding)('text-embedding-3-small'), value: 'hello world',
    ...telemetry('openai-embed'),
  }));
  if (major >= 5 && openai.responses) {
    await step('openai generateText (responses)', () => ai.generateText({
      model: openai.responses('gpt-4o'), system: 'You are a helpful assistant.', prompt: 'What is the capital of France?',
      ...telemetry('openai-responses'),
    }));
  }
  await step('anthropic generateText', () => ai.generateText({
    model: anthropic('claude-sonnet-4-20250514'), system: 'You are a helpful assistant.',
    prompt: 'What is the capital of France?', [maxKey]: 100, temperature: 0.7,
    ...telemetry('anthropic-chat'),
  }));
  await step('anthropic streamText', async () => {
    const r = ai.streamText({ model: anthropic('claude-sonnet-4-20250514'), prompt: 'What is the capital of France?', [maxKey]: 100,
      ...telemetry('anthropic-stream') });
    for await (const _ of r.textStream) { /* drain */ }
    await r.usage;
  });
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map(spanToJson);
  const fakeUsage = JSON.parse(require('child_process').execFileSync('python3', ['-c',
    'import json,sys; sys.path.insert(0, sys.argv[1]); import fake_llm_server as f; print(json.dumps(f.FAKE_USAGE))', HERE]).toString());
  const versions = ['ai', '@ai-sdk/openai', '@ai-sdk/anthropic', '@ai-sdk/otel', '@ai-sdk/provider-utils', '@opentelemetry/sdk-trace-base', '@opentelemetry/api']
    .map((n) => `${n}@${pkgVer(n)}`);
  const doc = {
    library: `ai@${aiVersion}`,
    notes: 'Node ' + process.version + (major >= 7
      ? `, registerTelemetry(new ${integrationName}({tracer})) from @ai-sdk/otel, per call telemetry {functionId, includeRuntimeContext:{userId:true}} + runtimeContext {userId:"user-123"}, `
      : ', experimental_telemetry {isEnabled:true, functionId, metadata:{userId:"user-123"}, tracer}, ') +
      'NodeTracerProvider + InMemorySpanExporter. Calls in order: openai.chat generateText (system, temperature 0.7, max tokens 100, topP 1.0 -> JS number 1 = int), ' +
      'openai.chat streamText, openai.chat generateText with a tool (fake server answers tool_calls; no execute fn, single step), embed, ' +
      (major >= 5 ? 'openai.responses generateText, ' : '') + 'anthropic generateText (system, max tokens 100, temperature 0.7), anthropic streamText. ' +
      'JS numbers: integral values are written as JSON ints (OTLP JS exporter also encodes them as intValue), others as doubles. ' +
      'Errors: ' + (errors.length ? errors.join(' | ') : 'none') + '. Versions: ' + versions.join(', '),
    fake_usage: fakeUsage,
    spans,
    logs: [],
  };
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, outName), JSON.stringify(doc, null, 2) + '\n');
  console.log(`wrote ${outName}: ${spans.length} spans; errors: ${errors.length}`);
  proc.kill();
  await provider.shutdown();
}
main().catch((e) => { console.error(e); process.exit(1); });
