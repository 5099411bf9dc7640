"""Runs every ClickHouse query of the Grafana dashboard against a real ClickHouse engine.

The table is created with the clickhouse exporter's own DDL (the version otelcol-builder.yaml
builds, read from the Go module cache), filled with LLM spans shaped as the exporter writes
them (attributes as strings, Duration in ns, StatusCode 'Error'), and each panel's SQL runs
with Grafana's macros expanded. A query that fails or returns no row fails the check; so does
one that counts wrapper spans (llm_observatory.aggregate) in the totals.

    python dashboard_sql.py <dashboard.json> <traces_table.sql>

Needs chdb-core (ClickHouse in-process, from PyPI); tests/deploy/check.sh installs it.
"""

import json
import re
import sys

from chdb import session

MODELS = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022"]
SPANS = 90  # 30 per model, one in ten a wrapper span repeating its children's usage
COST = 0.002  # USD per counted span


def exporter_ddl(template: str) -> str:
    """Fills the exporter's format verbs: "db"."table", cluster clause, engine, TTL clause."""
    sql = template.replace("%q.%q %s", '"otel"."otel_traces"', 1)
    sql = sql.replace("ENGINE = %s", "ENGINE = MergeTree()", 1)
    sql = sql.replace("\n%s\nSETTINGS", "\nTTL toDateTime(Timestamp) + toIntervalDay(30)\nSETTINGS", 1)
    if "%" in sql.replace("%'", ""):
        raise SystemExit("traces_table.sql has format verbs this script does not know")
    return sql


def span_rows() -> str:
    rows = []
    for i in range(SPANS):
        attrs = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": MODELS[i % len(MODELS)],
            "gen_ai.usage.input_tokens": str(1000 + i),
            "gen_ai.usage.output_tokens": "40",
            "gen_ai.usage.cost.amount": repr(COST),
            "gen_ai.usage.cost.currency": "USD",
        }
        if i % 10 == 9:
            attrs["llm_observatory.aggregate"] = "true"
            # an agent span, with llm_rollup's totals of the calls beneath it
            attrs["gen_ai.operation.name"] = "invoke_agent"
            attrs["gen_ai.agent.name"] = ["planner", "researcher"][i // 10 % 2]
            attrs["llm_observatory.run.role"] = "agent"
            attrs["llm_observatory.run.calls"] = "9"
            attrs["llm_observatory.run.tool_calls"] = "2"
            attrs["llm_observatory.run.errors"] = "0"
            attrs["llm_observatory.run.cost"] = repr(9 * COST)
        amap = "map(" + ", ".join("'%s', '%s'" % kv for kv in attrs.items()) + ")"
        status = "Error" if i % 15 == 0 else "Unset"
        rows.append(
            f"(now64(9) - toIntervalMinute({i + 1}), 't{i}', 's{i}', '', '', 'chat', 'Client', "
            f"'svc-{i % 2}', map('service.name', 'svc-{i % 2}'), 'scope', '1', {amap}, "
            f"{(i + 1) * 10_000_000}, '{status}', '', [], [], [], [], [], [], [])"
        )
    return ",\n".join(rows)


def expand_macros(sql: str) -> str:
    sql = re.sub(r"\$__timeFilter\((\w+)\)", r"(\1 >= now() - INTERVAL 1 DAY AND \1 <= now())", sql)
    sql = sql.replace("$__interval_s", "60")
    if "$" in sql:
        raise ValueError("unexpanded Grafana variable in: " + sql)
    return sql


def main() -> int:
    dashboard_path, ddl_path = sys.argv[1], sys.argv[2]
    with open(ddl_path) as f:
        ddl = exporter_ddl(f.read())
    with open(dashboard_path) as f:
        dashboard = json.load(f)

    db = session.Session()
    db.query("CREATE DATABASE otel")
    db.query(ddl)
    db.query(
        "INSERT INTO otel.otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, "
        "SpanName, SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion, "
        "SpanAttributes, Duration, StatusCode, StatusMessage, `Events.Timestamp`, `Events.Name`, "
        "`Events.Attributes`, `Links.TraceId`, `Links.SpanId`, `Links.TraceState`, "
        "`Links.Attributes`) VALUES " + span_rows()
    )

    counted = SPANS - SPANS // 10
    failures = 0
    queries = 0
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            if target["datasource"]["type"] != "grafana-clickhouse-datasource":
                continue
            queries += 1
            title = panel["title"]
            try:
                out = db.query(expand_macros(target["rawSql"]), "JSONCompact")
                result = json.loads(str(out))
            except Exception as e:  # noqa: BLE001 - any engine error is a failed query
                print(f"FAIL {title}: {e}")
                failures += 1
                continue
            rows = result["data"]
            if not rows:
                print(f"FAIL {title}: no rows")
                failures += 1
                continue
            names = [c["name"] for c in result["meta"]]
            # Totals must count every non-wrapper span once.
            if "cost_usd" in names:
                total = sum(float(r[names.index("cost_usd")]) for r in rows)
                if abs(total - counted * COST) > 1e-9:
                    print(f"FAIL {title}: cost {total}, want {counted * COST}")
                    failures += 1
                    continue
            if "calls" in names:
                calls = sum(int(r[names.index("calls")]) for r in rows)
                if calls != counted:
                    print(f"FAIL {title}: {calls} calls, want {counted}")
                    failures += 1
                    continue
            print(f"ok   {title}: {len(rows)} rows, columns {names}")
    if queries == 0:
        print("FAIL no ClickHouse query in the dashboard")
        return 1
    print(f"{queries - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
