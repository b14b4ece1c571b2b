#!/usr/bin/env python3
"""Runs `scalectl cdn sql` output on a real engine and prints the rows as JSON.

usage: run_engine.py ENGINE JOBS.json
JOBS.json: [{"ddl": "file.sql", "query": "file.sql"}, ...]; each job's ddl creates the table the
query reads. Prints {"results": [[row, ...], ...]} with one list of rows (objects keyed by column
name) per job, in order. Spark runs every job in one local session (one JVM start).
Exit 3 when the engine's Python package is missing, so the caller can skip.
"""
import json
import sys


def rows_of(columns, tuples):
    return [dict(zip(columns, t)) for t in tuples]


def statements(path):
    text = open(path).read()
    lines = [l for l in text.splitlines() if not l.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";")]


def run_duckdb(jobs):
    import duckdb
    out = []
    for job in jobs:
        con = duckdb.connect()
        for s in statements(job["ddl"]):
            con.execute(s.rstrip(";"))
        cur = con.execute(open(job["query"]).read())
        out.append(rows_of([d[0] for d in cur.description], cur.fetchall()))
        con.close()
    return out


def run_clickhouse(jobs):
    from chdb import session
    out = []
    for job in jobs:
        sess = session.Session()
        sess.query("CREATE DATABASE IF NOT EXISTS scalectl ENGINE = Atomic")
        sess.query("USE scalectl")
        for s in statements(job["ddl"]):
            sess.query(s.rstrip(";"))
        res = sess.query(open(job["query"]).read(), "JSONCompact")
        doc = json.loads(res.bytes() if hasattr(res, "bytes") else str(res))
        columns = [m["name"] for m in doc["meta"]]
        out.append(rows_of(columns, doc["data"]))
        sess.close()
    return out


def run_spark(jobs):
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").appName("scalectl-cdn-sql")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "1")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.sql.warehouse.dir", sys.argv[3] if len(sys.argv) > 3 else "/tmp/scalectl-spark-warehouse")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    out = []
    for job in jobs:
        spark.sql("DROP TABLE IF EXISTS logs")
        for s in statements(job["ddl"]):
            spark.sql(s.rstrip(";"))
        df = spark.sql(open(job["query"]).read())
        out.append([r.asDict() for r in df.collect()])
    spark.stop()
    return out


def main():
    engine, jobs_path = sys.argv[1], sys.argv[2]
    jobs = json.load(open(jobs_path))
    runners = {"duckdb": ("duckdb", run_duckdb), "clickhouse": ("chdb", run_clickhouse), "spark": ("pyspark", run_spark)}
    module, runner = runners[engine]
    try:
        __import__(module)
    except ImportError:
        print(f"{module} is not installed", file=sys.stderr)
        sys.exit(3)
    print(json.dumps({"results": runner(jobs)}, default=str))


main()
