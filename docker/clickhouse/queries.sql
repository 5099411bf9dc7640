-- Example queries over what configs/clickhouse.yaml writes to ClickHouse: spans in
-- otel.otel_traces, log records in otel.otel_logs (tables created by the clickhouse exporter).
-- Attributes are strings in the SpanAttributes / LogAttributes maps; Duration is in ns.
--
-- LLM spans carry the normalized GenAI attributes our processors write: gen_ai.request.model
-- (gen_ai.response.model when only the response named it), gen_ai.usage.input_tokens /
-- output_tokens, gen_ai.usage.cost.amount (USD); pii_redaction adds llm_observatory.pii.types.
-- Wrapper and agent spans repeat their children's usage and are flagged
-- llm_observatory.aggregate = 'true': every query leaves them out so nothing counts twice.
--
-- tests/e2e/clickhouse_test.go runs each query below against a real ClickHouse 26.9 fed by the
-- collector and checks its numbers against what was sent. One query per "-- name:" block.

-- name: cost_per_model_per_day
-- Spend in USD per model and day, last 30 days.
SELECT
    toDate(Timestamp) AS day,
    coalesce(nullIf(SpanAttributes['gen_ai.request.model'], ''),
             nullIf(SpanAttributes['gen_ai.response.model'], ''), 'unknown') AS model,
    count() AS calls,
    sum(toFloat64OrZero(SpanAttributes['gen_ai.usage.cost.amount'])) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= now() - INTERVAL 30 DAY
  AND SpanAttributes['gen_ai.usage.cost.amount'] != ''
  AND SpanAttributes['llm_observatory.aggregate'] != 'true'
GROUP BY day, model
ORDER BY day, cost_usd DESC;

-- name: tokens_per_service
-- LLM calls, tokens and spend per service (resource attribute service.name), last 30 days.
SELECT
    ServiceName AS service,
    count() AS calls,
    sum(toUInt64OrZero(SpanAttributes['gen_ai.usage.input_tokens'])) AS input_tokens,
    sum(toUInt64OrZero(SpanAttributes['gen_ai.usage.output_tokens'])) AS output_tokens,
    sum(toFloat64OrZero(SpanAttributes['gen_ai.usage.cost.amount'])) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= now() - INTERVAL 30 DAY
  AND SpanAttributes['gen_ai.operation.name'] != ''
  AND SpanAttributes['llm_observatory.aggregate'] != 'true'
GROUP BY service
ORDER BY input_tokens + output_tokens DESC;

-- name: p95_latency_per_model
-- 95th percentile latency of LLM calls per model, with error counts, last 24 hours.
SELECT
    coalesce(nullIf(SpanAttributes['gen_ai.request.model'], ''),
             nullIf(SpanAttributes['gen_ai.response.model'], ''), 'unknown') AS model,
    count() AS calls,
    quantile(0.95)(Duration) / 1e9 AS p95_seconds,
    countIf(StatusCode = 'Error') AS errors
FROM otel.otel_traces
WHERE Timestamp >= now() - INTERVAL 1 DAY
  AND SpanAttributes['gen_ai.operation.name'] != ''
  AND SpanAttributes['llm_observatory.aggregate'] != 'true'
GROUP BY model
ORDER BY p95_seconds DESC;

-- name: top_redaction_types
-- Spans and log records in which pii_redaction found and redacted each type, last 7 days
-- (llm_observatory.pii.types is a JSON array such as ["credit_card","email"]).
SELECT type, count() AS items
FROM
(
    SELECT SpanAttributes['llm_observatory.pii.types'] AS types
    FROM otel.otel_traces
    WHERE Timestamp >= now() - INTERVAL 7 DAY AND types != ''
    UNION ALL
    SELECT LogAttributes['llm_observatory.pii.types'] AS types
    FROM otel.otel_logs
    WHERE Timestamp >= now() - INTERVAL 7 DAY AND types != ''
)
ARRAY JOIN JSONExtract(types, 'Array(String)') AS type
GROUP BY type
ORDER BY items DESC, type;
